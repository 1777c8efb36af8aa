/// Reads a server's stored state, or a message, field by field, each by its
/// kind: the one listing of that state from which an exhaustive search derives
/// its fingerprints and its stored bytes (RaftSimulation), so that a field
/// added to a server or a message is added here once, and a test fails if it is not.
///
/// Kinds matter because a search identifies states up to a renaming of servers:
/// a renaming changes the servers named in the state, and permutes what is kept
/// per server, but leaves every number alone.
public protocol StateVisitor {
    /// A term, an index, a count, or which case of an enum (numbered from 0):
    /// nothing a renaming of servers changes. Never negative.
    mutating func visit(number: Int)
    mutating func visit(flag: Bool)
    /// A server named in the state (votedFor, the candidate of a RequestVote),
    /// or none.
    mutating func visit(server: ServerID?)
    /// A set of servers (the votes granted).
    mutating func visit(servers: ServerSet)
    /// Log entries: a server's log or what an AppendEntries carries.
    mutating func visit(entries: LogEntries)
    /// A leader's nextIndex and matchIndex for every server, indexed by
    /// `ServerID.index` (the leader's own slot is never read: Figure 2 keeps them
    /// for the other servers only).
    mutating func visit(progress: [Leadership.Progress], of leader: ServerID)
    /// What a server written outside raftsh keeps in its state or adds to a
    /// message beyond Figure 2's fields, verbatim (it may name servers in ways
    /// no renaming can see, so a search of such servers does not rename them).
    mutating func visit(ownFields: OwnFields)
}

extension Server {
    /// Every stored field that a restart or the rules can change, in a fixed
    /// order: Figure 2's persistent state (currentTerm, votedFor, log), then the
    /// volatile state (commitIndex, leader contact, and the role with the votes,
    /// and the leader's per-server indexes, whom it heard from and its transfer). Not visited: `id`, `clusterSize` and `configuration`,
    /// which are the cluster's and never change.
    @inlinable
    public func visitStoredState(_ visitor: inout some StateVisitor) {
        visitor.visit(number: currentTerm)
        visitor.visit(server: votedFor)
        visitor.visit(entries: log.entries)
        visitor.visit(number: commitIndex)
        visitor.visit(flag: heardFromLeader)
        switch role {
        case .follower:
            visitor.visit(number: 0)
        case .candidate(let votes):
            visitor.visit(number: 1)
            visitor.visit(servers: votes)
        case .leader(let leadership):
            visitor.visit(number: 2)
            visitor.visit(servers: leadership.votes)
            visitor.visit(progress: leadership.progress, of: id)
            visitor.visit(servers: leadership.heardFrom)
            visitor.visit(server: leadership.transfer?.target)
            visitor.visit(flag: leadership.transfer?.sentTimeoutNow ?? false)
        case .precandidate(let votes):
            visitor.visit(number: 3)
            visitor.visit(servers: votes)
        }
    }
}

extension Message {
    /// Which kind of message this is (as `visitFields` numbers it), then every
    /// field of Figure 2's arguments and results, in the paper's order.
    @inlinable
    public func visitFields(_ visitor: inout some StateVisitor) {
        switch self {
        case .requestVote(let m):
            visitor.visit(number: 0)
            visitor.visit(number: m.term)
            visitor.visit(server: m.candidate)
            visitor.visit(number: m.lastLogIndex)
            visitor.visit(number: m.lastLogTerm)
            visitor.visit(flag: m.transfer)
        case .requestVoteResponse(let m):
            visitor.visit(number: 1)
            visitor.visit(number: m.term)
            visitor.visit(flag: m.granted)
        case .appendEntries(let m):
            visitor.visit(number: 2)
            visitor.visit(number: m.term)
            visitor.visit(server: m.leader)
            visitor.visit(number: m.prevLogIndex)
            visitor.visit(number: m.prevLogTerm)
            visitor.visit(entries: m.entries)
            visitor.visit(number: m.leaderCommit)
        case .appendEntriesResponse(let m):
            visitor.visit(number: 3)
            visitor.visit(number: m.term)
            visitor.visit(flag: m.success)
            visitor.visit(number: m.matchIndex)
        case .preVote(let m):
            visitor.visit(number: 4)
            visitor.visit(number: m.term)
            visitor.visit(server: m.candidate)
            visitor.visit(number: m.lastLogIndex)
            visitor.visit(number: m.lastLogTerm)
        case .preVoteResponse(let m):
            visitor.visit(number: 5)
            visitor.visit(number: m.term)
            visitor.visit(flag: m.granted)
        case .timeoutNow(let m):
            visitor.visit(number: 6)
            visitor.visit(number: m.term)
        }
    }
}
