import RaftCore
import RaftStorage

/// A virtual Raft cluster: the servers, the network between them, and the
/// safety history of the run. A value: copying it is a snapshot (undo, search).
public struct Cluster: Hashable, Sendable {
    /// Server names in cluster order; `names[id.index]` names `id`.
    public private(set) var names: [String]
    public internal(set) var servers: [Server]
    /// Whether each server is up (not crashed).
    public internal(set) var isUp: [Bool]
    public internal(set) var network = Network()
    /// The partition group of each server, or nil when the network is whole.
    public internal(set) var groups: [Int]?
    /// The group list a heal took away, for the next split to fill in again:
    /// random schedules split and heal the network over and over.
    var healedGroups = Spare<[Int]>()
    /// The links cut one way (`cut A->B`), independent of the partition.
    public internal(set) var cuts: LinkCuts
    public internal(set) var safety = SafetyChecker()
    public internal(set) var configuration: Configuration
    /// Whose code the servers run: raftsh's own, or a user's program.
    public private(set) var implementation: Implementation
    /// Whether `implementation` is a program: a flag, which the event path reads
    /// for the price of a byte, where matching the enum copies it.
    let runsProgram: Bool
    /// What a user's program keeps of each server beyond Figure 2's state, by
    /// position; empty while the servers are raftsh's own.
    public internal(set) var programStates: [ProgramState] = []
    /// The fields a user's program added to messages, which envelopes name by key.
    public internal(set) var ownFieldsTable = OwnFieldsTable()
    /// Messages handled so far, for statistics.
    public internal(set) var deliveries = 0
    /// Elections started so far, for statistics: events that made a server
    /// CANDIDATE (or LEADER at once in a new term, in a one-server cluster), and
    /// timeouts of a CANDIDATE. A Pre-Vote round that fails starts none.
    public internal(set) var electionsStarted = 0
    /// How many servers are up, and how many of those are LEADER: kept as roles
    /// change and servers crash and restart (only a server that is up handles
    /// events), because random schedules ask at every step.
    public internal(set) var upCount: Int
    public internal(set) var liveLeaderCount = 0

    // Logical time (section 6).
    public internal(set) var timing = Timing()
    /// The current tick; only `tick` advances it.
    public internal(set) var now = 0
    var random: SeededGenerator
    /// When each server's election timer fires; nil until time first moves, or
    /// while the server is LEADER or down.
    public internal(set) var electionDeadline: [Int?]
    /// When each leader next sends heartbeats.
    public internal(set) var heartbeatDue: [Int?]
    /// Whether the cluster keeps time as events happen: timers up to date, and
    /// messages listed by the tick they are due. A cluster that never ticks — a
    /// random schedule or a search, which fire timers as explicit events — turns
    /// this off, and so neither draws a fresh timeout each time a server resets its
    /// election timer nor lists each message by tick. The first `tick` turns it on
    /// again: the timers then start as in a fresh cluster.
    public var keepsTime = true {
        didSet { network.listsDueTicks = keepsTime }
    }
    /// Whether the network lists messages by link (`Network.listsLinks`), for
    /// `deliver A->B` and its kin; random schedules and searches, which name
    /// messages by sequence number, turn it off.
    public var listsLinks: Bool {
        get { network.listsLinks }
        set { network.listsLinks = newValue }
    }

    /// A fresh cluster: every server a FOLLOWER at term 0 with an empty log, all up.
    /// Under a program, every server is created by asking it (`init`).
    public init(
        names: [String], configuration: Configuration = Configuration(), timing: Timing = Timing(),
        implementation: Implementation = .builtIn
    ) throws(ClusterError) {
        guard (1...1000).contains(names.count) else { throw .badClusterSize(names.count) }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw .duplicateName(name)
        }
        self.names = names
        self.configuration = configuration
        servers = names.indices.map { Server(id: ServerID($0), clusterSize: names.count, configuration: configuration) }
        isUp = Array(repeating: true, count: names.count)
        cuts = LinkCuts(size: names.count)
        upCount = names.count
        self.timing = timing
        random = SeededGenerator(seed: timing.seed)
        electionDeadline = Array(repeating: nil, count: names.count)
        heartbeatDue = Array(repeating: nil, count: names.count)
        self.implementation = implementation
        runsProgram = implementation.program != nil
        if let program = implementation.program {
            programStates = Array(repeating: ProgramState(), count: names.count)
            for id in ids {
                // The safety checker sees what the program made of a fresh server.
                let fresh = SafetyChecker.Before(servers[id.index])
                var output = Output()
                try run(program, .initialize, on: id, into: &output)
                safety.observe(id, before: fresh, logChangedFrom: output.logChangedFrom, servers: servers, isUp: isUp)
            }
            // A program may create a server in another role than FOLLOWER.
            liveLeaderCount = servers.indices.count { servers[$0].role.kind == .leader }
        }
    }

    /// A fresh cluster of `size` servers named s1 … sN.
    public init(
        size: Int, configuration: Configuration = Configuration(), timing: Timing = Timing(),
        implementation: Implementation = .builtIn
    ) throws(ClusterError) {
        guard (1...1000).contains(size) else { throw .badClusterSize(size) }
        try self.init(names: (1...size).map { "s\($0)" }, configuration: configuration, timing: timing, implementation: implementation)
    }

    /// Inlinable: random schedules ask it on most of their rarer steps.
    @inlinable
    public var size: Int { servers.count }

    /// Runs its steps on another instance of the same program (`Implementation.another`),
    /// so that copies of one state can be stepped on several threads at once.
    public mutating func runSteps(on instance: any ServerProgram) {
        precondition(runsProgram, "only a cluster of a program's servers runs on another instance of it")
        implementation = .program(instance)
    }

    /// The fields a user's program added to this message, if any.
    public func ownFields(of envelope: Envelope) -> OwnFields? {
        ownFieldsTable[envelope.ownFields]
    }

    public var ids: [ServerID] { servers.indices.map(ServerID.init) }

    public func id(named name: String) -> ServerID? {
        names.firstIndex(of: name).map(ServerID.init)
    }

    public func name(_ id: ServerID) -> String {
        names[id.index]
    }

    public subscript(id: ServerID) -> Server {
        servers[id.index]
    }

    /// The `leader` reference: the one live LEADER with the highest term.
    public func leader() throws(ClusterError) -> ServerID {
        let live = servers.filter { isUp[$0.id.index] && $0.role.kind == .leader }
        guard let top = live.max(by: { $0.currentTerm < $1.currentTerm }) else { throw .noLeader }
        if let rival = live.first(where: { $0.id != top.id && $0.currentTerm == top.currentTerm }) {
            let pair = [top.id, rival.id].sorted()
            throw .leadersShareTerm(name(pair[0]), name(pair[1]), term: top.currentTerm)
        }
        return top.id
    }

    /// Live servers in role LEADER, in cluster order.
    public var liveLeaders: [ServerID] {
        servers.indices.map(ServerID.init).filter(isLiveLeader)
    }

    /// Whether any server is up and LEADER, in O(1).
    public var hasLiveLeader: Bool { liveLeaderCount > 0 }

    /// Whether `id` is up and LEADER; asks without copying the server. Inlinable:
    /// random schedules ask about every server on every step.
    @inlinable
    public func isLiveLeader(_ id: ServerID) -> Bool {
        isUp[id.index] && servers[id.index].role.kind == .leader
    }

    public func isConnected(_ a: ServerID, _ b: ServerID) -> Bool {
        guard let groups else { return true }
        return groups[a.index] == groups[b.index]
    }

    /// One server handles one event; what it sends goes on the wire and the
    /// safety checker sees what changed. The one place that asks whose code
    /// the server runs; raftsh's own servers' path calls nothing that can fail.
    mutating func apply(_ event: consuming Event, to id: ServerID, trace: inout Trace) throws(ClusterError) {
        let before = SafetyChecker.Before(servers[id.index])
        trace.startOutput()
        if runsProgram {
            try runProgram(event, on: id, trace: &trace)
        } else {
            servers[id.index].handle(event, into: &trace.output)
        }
        carryOut(id, before: before, trace: &trace)
    }

    /// A message is handled by its receiver: `apply(.receive(envelope), to:
    /// envelope.to, …)`, with raftsh's own servers handed the message as it is
    /// (`Server.handle(_:into:)` for an envelope), not wrapped in an event.
    mutating func apply(_ envelope: consuming Envelope, trace: inout Trace) throws(ClusterError) {
        guard runsProgram else { return applyToOwnServer(envelope, trace: &trace) }
        let id = envelope.to
        let before = SafetyChecker.Before(servers[id.index])
        trace.startOutput()
        try runProgram(envelope, trace: &trace)
        carryOut(id, before: before, trace: &trace)
    }

    /// `apply(_:trace:)` for a message to one of raftsh's own servers, which
    /// cannot fail: it throws nothing, so that a random schedule's deliveries
    /// (`deliverToOwnServer(sequence:trace:)`) are not checked for an error
    /// after each call. Only for a cluster that runs no program.
    @inline(__always)
    mutating func applyToOwnServer(_ envelope: consuming Envelope, trace: inout Trace) {
        let id = envelope.to
        let before = SafetyChecker.Before(servers[id.index])
        trace.startOutput()
        servers[id.index].handle(envelope, into: &trace.output)
        carryOut(id, before: before, trace: &trace)
    }

    /// What follows every event, whoever handled it: the live-leader count,
    /// narration, the safety checker, the timers, and the messages put on the wire.
    @inline(__always)
    private mutating func carryOut(_ id: ServerID, before: SafetyChecker.Before, trace: inout Trace) {
        let kind = servers[id.index].role.kind
        if kind != before.role { roleChanged(id, to: kind, before: before) }
        if trace.isRecording { trace.recordOutput(of: id) }
        safety.observe(id, before: before, logChangedFrom: trace.output.logChangedFrom, servers: servers, isUp: isUp)
        if keepsTime { updateTimers(id, wasLeader: before.role == .leader, resetsElectionTimer: trace.output.resetsElectionTimer) }
        // Taken out of the trace while they are sent (sending records into the trace),
        // moved onto the network, and the emptied buffer put back for the next event.
        var sent = Outbox<Envelope>()
        swap(&sent, &trace.output.messages)
        sent.removeAll { send($0, trace: &trace) }
        swap(&sent, &trace.output.messages)
    }

    /// Counts what a change of role changes: the live leaders, and the elections
    /// started (becoming CANDIDATE, or LEADER at once in a new term as a
    /// one-server cluster does; a CANDIDATE that starts its next election keeps
    /// its role: `fireElectionTimer` counts that one). Never inlined: a role
    /// changes on few events, and written inline in `carryOut` it cost the
    /// simulate benchmark about six more instructions an event than this call
    /// (callgrind).
    @inline(never)
    private mutating func roleChanged(_ id: ServerID, to kind: RoleKind, before: SafetyChecker.Before) {
        if kind == .leader {
            liveLeaderCount += 1
        } else if before.role == .leader {
            liveLeaderCount -= 1
        }
        if kind == .candidate || (kind == .leader && servers[id.index].currentTerm > before.term) { electionsStarted += 1 }
    }

    /// Fires `id`'s election timer (by `timeout` or under `tick`). A CANDIDATE whose
    /// timer fires starts its next election in the same role, which `carryOut`
    /// does not see: counted here. Inlined, so that `apply` stays one call.
    @inline(__always)
    mutating func fireElectionTimer(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        let wasCandidate = servers[id.index].role.kind == .candidate
        try apply(.electionTimeout, to: id, trace: &trace)
        if wasCandidate, servers[id.index].role.kind == .candidate { electionsStarted += 1 }
    }

    /// Puts a message in flight, unless a partition, a cut link or a crash swallows it.
    mutating func send(_ envelope: consuming Envelope, trace: inout Trace) {
        if !isConnected(envelope.from, envelope.to) {
            trace.record(.dropped(envelope, .partition))
        } else if cuts.contains(from: envelope.from, to: envelope.to) {
            trace.record(.dropped(envelope, .cut))
        } else if !isUp[envelope.to.index] {
            trace.record(.dropped(envelope, .receiverDown))
        } else {
            network.send(envelope, deliverAt: now + random.draw(timing.latency))
        }
    }
}
