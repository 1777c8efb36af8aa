import RaftCore
import Testing

@testable import RaftCluster
@testable import RaftSimulation

/// The one listing of a state (`Server.visitStoredState`, `Message.visitFields`,
/// `Cluster.visitStoredState`) covers every stored field: a field added to a
/// server or a message and not to the listing fails here, and every field
/// listed changes the fingerprint and comes back from the stored bytes.
@Suite(.timeLimit(.minutes(3)))
struct StateCoverageTests {
    /// Counts the fields visited (an enum's case counts as its field).
    struct FieldCounter: StateVisitor {
        var count = 0
        mutating func visit(number: Int) { count += 1 }
        mutating func visit(flag: Bool) { count += 1 }
        mutating func visit(server: ServerID?) { count += 1 }
        mutating func visit(servers: ServerSet) { count += 1 }
        mutating func visit(entries: LogEntries) { count += 1 }
        mutating func visit(progress: [Leadership.Progress], of leader: ServerID) { count += 1 }
        mutating func visit(ownFields: OwnFields) { count += 1 }
    }

    static func stored(_ value: Any) -> Int { Mirror(reflecting: value).children.count }

    static func server(
        _ role: Role, term: Int = 3, votedFor: ServerID? = ServerID(0), log: Log = Log(terms: [1, 3]), commitIndex: Int = 1,
        heardFromLeader: Bool = false
    ) -> Server {
        Server(
            id: ServerID(0), clusterSize: 3, configuration: Configuration(),
            currentTerm: term, votedFor: votedFor, log: log, role: role, commitIndex: commitIndex, heardFromLeader: heardFromLeader
        )
    }

    static let transfer = Leadership.Transfer(target: ServerID(1), sentTimeoutNow: false)

    static let leadership = Leadership(
        progress: [.init(nextIndex: 3, matchIndex: 2), .init(nextIndex: 2, matchIndex: 1), .init(nextIndex: 3, matchIndex: 0)],
        votes: ServerSet([ServerID(0), ServerID(1)]),
        heardFrom: ServerSet([ServerID(0), ServerID(2)]),
        transfer: transfer
    )

    /// A leader's role like `leadership`'s with the fields given changed.
    static func leader(
        progress: [Leadership.Progress] = leadership.progress, votes: ServerSet = leadership.votes,
        heardFrom: ServerSet = leadership.heardFrom, transfer: Leadership.Transfer?? = .none
    ) -> Role {
        .leader(Leadership(progress: progress, votes: votes, heardFrom: heardFrom, transfer: transfer ?? leadership.transfer))
    }

    /// Every stored property of a server is visited, except the three that are the
    /// cluster's (id, clusterSize, configuration); a role's state counts too.
    @Test func everyStoredFieldOfAServerIsVisited() {
        let roles: [(Role, extra: Int)] = [
            (.follower, 0),
            (.precandidate(votes: ServerSet([ServerID(0)])), 1),
            (.candidate(votes: ServerSet([ServerID(0)])), 1),
            // The transfer is listed field by field, and whom the leader heard from
            // (a flag in each server's progress) as a set of its own.
            (.leader(Self.leadership), Self.stored(Self.leadership) - 1 + Self.stored(Self.transfer) + 1),
        ]
        for (role, extra) in roles {
            let server = Self.server(role)
            var counter = FieldCounter()
            server.visitStoredState(&counter)
            #expect(counter.count == Self.stored(server) - 3 + extra, "\(role.kind)")
        }
    }

    static let messages: [Message] = [
        .requestVote(RequestVote(term: 2, candidate: ServerID(1), lastLogIndex: 1, lastLogTerm: 1)),
        .requestVoteResponse(RequestVoteResponse(term: 2, granted: true)),
        .appendEntries(AppendEntries(term: 2, leader: ServerID(1), prevLogIndex: 1, prevLogTerm: 1, entries: [LogEntry(term: 2, value: "x")], leaderCommit: 1)),
        .appendEntriesResponse(AppendEntriesResponse(term: 2, success: true, matchIndex: 2)),
        .preVote(PreVote(term: 3, candidate: ServerID(1), lastLogIndex: 1, lastLogTerm: 1)),
        .preVoteResponse(PreVoteResponse(term: 3, granted: true)),
        .timeoutNow(TimeoutNow(term: 2)),
    ]

    /// Every field of every message is visited, after the message's kind.
    @Test(arguments: messages)
    func everyFieldOfAMessageIsVisited(_ message: Message) {
        var counter = FieldCounter()
        message.visitFields(&counter)
        let fields: Int
        switch message {
        case .requestVote(let m): fields = Self.stored(m)
        case .requestVoteResponse(let m): fields = Self.stored(m)
        case .appendEntries(let m): fields = Self.stored(m)
        case .appendEntriesResponse(let m): fields = Self.stored(m)
        case .preVote(let m): fields = Self.stored(m)
        case .preVoteResponse(let m): fields = Self.stored(m)
        case .timeoutNow(let m): fields = Self.stored(m)
        }
        #expect(counter.count == 1 + fields)
    }

    /// A 3-server cluster whose first server is `server`, with `inFlight` and a history.
    static func cluster(
        _ server: Server, isUp: Bool = true, inFlight: [Message] = messages, committedBy: Int = 0,
        cuts: [(from: ServerID, to: ServerID)] = [(ServerID(2), ServerID(0))]
    ) -> Cluster {
        let fresh = Cluster.fresh(3)
        var cluster = fresh
        var history = SafetyChecker()
        history.restoreLeader(ServerID(1), ofTerm: 2)
        history.restoreCommitted(LogEntry(term: 1, value: "a"), inTerm: 2, by: ServerID(committedBy))
        cluster.restoreStoredState(
            server: { $0.index == 0 ? (server, isUp) : (fresh.servers[$0.index], true) },
            program: { _ in ProgramState() },
            inFlight: { send in for message in inFlight { send(Envelope(from: ServerID(1), to: ServerID(0), message: message), nil) } },
            safety: { history },
            cutLinks: { cuts }
        )
        return cluster
    }

    /// Changing any one stored field gives another fingerprint, and the state
    /// comes back from its stored bytes exactly.
    @Test func everyFieldChangesTheFingerprintAndComesBackFromItsBytes() {
        let leader = Role.leader(Self.leadership)
        var progress = Self.leadership.progress
        progress[1] = .init(nextIndex: 3, matchIndex: 1)
        let nextIndexChanged = Self.leader(progress: progress)
        progress = Self.leadership.progress
        progress[2] = .init(nextIndex: 3, matchIndex: 1)
        let matchIndexChanged = Self.leader(progress: progress)
        let votesChanged = Self.leader(votes: ServerSet([ServerID(0), ServerID(2)]))
        var messages = Self.messages
        messages[2] = .appendEntries(AppendEntries(term: 2, leader: ServerID(1), prevLogIndex: 1, prevLogTerm: 1, entries: [LogEntry(term: 2, value: "y")], leaderCommit: 1))
        var transferMarked = Self.messages
        transferMarked[0] = .requestVote(RequestVote(term: 2, candidate: ServerID(1), lastLogIndex: 1, lastLogTerm: 1, transfer: true))

        let base = Self.cluster(Self.server(leader))
        let variants: [(String, Cluster)] = [
            ("isUp", Self.cluster(Self.server(leader), isUp: false)),
            ("currentTerm", Self.cluster(Self.server(leader, term: 4))),
            ("votedFor", Self.cluster(Self.server(leader, votedFor: ServerID(1)))),
            ("votedFor none", Self.cluster(Self.server(leader, votedFor: nil))),
            ("log term", Self.cluster(Self.server(leader, log: Log(terms: [1, 2])))),
            ("log value", Self.cluster(Self.server(leader, log: Log([LogEntry(term: 1), LogEntry(term: 3, value: "v")])))),
            ("commitIndex", Self.cluster(Self.server(leader, commitIndex: 2))),
            ("role", Self.cluster(Self.server(.candidate(votes: Self.leadership.votes)))),
            ("leader's votes", Self.cluster(Self.server(votesChanged))),
            ("nextIndex", Self.cluster(Self.server(nextIndexChanged))),
            ("matchIndex", Self.cluster(Self.server(matchIndexChanged))),
            ("leader contact", Self.cluster(Self.server(leader, heardFromLeader: true))),
            ("precandidate", Self.cluster(Self.server(.precandidate(votes: Self.leadership.votes)))),
            ("heard from", Self.cluster(Self.server(Self.leader(heardFrom: ServerSet([ServerID(0), ServerID(1)]))))),
            ("transfer target", Self.cluster(Self.server(Self.leader(transfer: .init(target: ServerID(2), sentTimeoutNow: false))))),
            ("no transfer", Self.cluster(Self.server(Self.leader(transfer: .some(nil))))),
            ("TimeoutNow sent", Self.cluster(Self.server(Self.leader(transfer: .init(target: ServerID(1), sentTimeoutNow: true))))),
            ("a RequestVote's transfer flag", Self.cluster(Self.server(leader), inFlight: transferMarked)),
            ("a message's entries", Self.cluster(Self.server(leader), inFlight: messages)),
            ("a message fewer", Self.cluster(Self.server(leader), inFlight: Array(Self.messages.dropLast()))),
            ("a cut's direction", Self.cluster(Self.server(leader), cuts: [(ServerID(0), ServerID(2))])),
            ("a cut more", Self.cluster(Self.server(leader), cuts: [(ServerID(2), ServerID(0)), (ServerID(1), ServerID(2))])),
            ("no cut", Self.cluster(Self.server(leader), cuts: [])),
        ]
        let fingerprint = base.fingerprint(symmetry: false).canonical
        for (field, variant) in variants {
            #expect(variant.fingerprint(symmetry: false).canonical != fingerprint, "\(field)")
        }
        // Who committed an entry is reported, not part of a state's identity.
        #expect(Self.cluster(Self.server(leader), committedBy: 2).fingerprint(symmetry: false).canonical == fingerprint)

        for (field, variant) in variants + [("base", base)] {
            var values = ValueTable()
            var writer = StateWriter()
            variant.write(to: &writer, values: &values)
            var restored = Cluster.fresh(3)
            var reader = StateReader(writer.bytes)
            restored.restore(from: &reader, values: values)
            #expect(reader.position == writer.bytes.count, "\(field)")
            #expect(restored.servers == variant.servers, "\(field)")
            #expect(restored.isUp == variant.isUp, "\(field)")
            #expect(restored.network.messages.map(\.envelope) == variant.network.messages.map(\.envelope), "\(field)")
            #expect(restored.safety == variant.safety, "\(field)")
            #expect(restored.cuts == variant.cuts, "\(field)")
            #expect(restored.safety.committed.map(\.committedBy) == variant.safety.committed.map(\.committedBy), "\(field)")
        }
    }

    /// A program that answers every step by leaving the state as it is: enough
    /// to hold a cluster whose servers are a user's, for the listing's sake.
    final class StillProgram: ServerProgram {
        var description: String { "still" }
        var features: Set<String> { [] }
        func step(_ step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, into output: inout Output) {}
        func another() -> any ServerProgram { StillProgram() }
        func stop() {}
    }

    /// Under a user's program, what it keeps besides Figure 2's state — its own
    /// fields, which optional fields it reports, a transfer's target — and the
    /// fields it adds to a message are listed too: each changes the fingerprint
    /// and comes back from the stored bytes.
    @Test func everyFieldAProgramKeepsIsListed() throws {
        var counter = FieldCounter()
        ProgramState().visitStoredState(&counter)
        #expect(counter.count == Self.stored(ProgramState()))

        let program = Implementation.program(StillProgram())
        func cluster(_ state: ProgramState, own: OwnFields? = nil) throws -> Cluster {
            var cluster = try Cluster(size: 3, implementation: program)
            let fresh = cluster
            cluster.restoreStoredState(
                server: { (fresh.servers[$0.index], true) },
                program: { $0.index == 0 ? state : ProgramState() },
                inFlight: { send in send(Envelope(from: ServerID(1), to: ServerID(0), message: Self.messages[0]), own) },
                safety: { SafetyChecker() },
                cutLinks: { [] }
            )
            return cluster
        }
        var base = ProgramState()
        base.own = OwnFields([.init(name: "heard", json: "[1]")])
        var variants: [(String, ProgramState)] = []
        var changed = base
        changed.own = OwnFields([.init(name: "heard", json: "[2]")])
        variants.append(("own field", changed))
        changed = base
        changed.reportsVotes = true
        variants.append(("reportsVotes", changed))
        changed = base
        changed.reportsProgress = true
        variants.append(("reportsProgress", changed))
        changed = base
        changed.reportsTransfer = true
        variants.append(("reportsTransfer", changed))
        changed = base
        changed.transferTo = ServerID(2)
        variants.append(("transferTo", changed))
        let clusters = try variants.map { ($0.0, try cluster($0.1)) } + [("message's own field", try cluster(base, own: OwnFields([.init(name: "hint", json: "1")])))]
        let fingerprint = try cluster(base).fingerprint(symmetry: false).canonical
        for (field, variant) in clusters {
            #expect(variant.fingerprint(symmetry: false).canonical != fingerprint, "\(field)")
            var values = ValueTable()
            var writer = StateWriter()
            variant.write(to: &writer, values: &values)
            var restored = try Cluster(size: 3, implementation: program)
            var reader = StateReader(writer.bytes)
            restored.restore(from: &reader, values: values)
            #expect(reader.position == writer.bytes.count, "\(field)")
            #expect(restored.programStates == variant.programStates, "\(field)")
            #expect(restored.network.messages.map { restored.ownFields(of: $0.envelope) } == variant.network.messages.map { variant.ownFields(of: $0.envelope) }, "\(field)")
        }
    }
}
