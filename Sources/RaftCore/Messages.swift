/// Invoked by candidates to gather votes (Figure 2).
public struct RequestVote: Hashable, Sendable {
    public var term: Int
    public var candidate: ServerID
    public var lastLogIndex: Int
    public var lastLogTerm: Int
    /// Sent because the leader asked with TimeoutNow (thesis 3.10): leader
    /// stickiness (thesis 4.2.3) lets it through.
    public var transfer: Bool

    public init(term: Int, candidate: ServerID, lastLogIndex: Int, lastLogTerm: Int, transfer: Bool = false) {
        self.term = term
        self.candidate = candidate
        self.lastLogIndex = lastLogIndex
        self.lastLogTerm = lastLogTerm
        self.transfer = transfer
    }
}

public struct RequestVoteResponse: Hashable, Sendable {
    public var term: Int
    public var granted: Bool

    public init(term: Int, granted: Bool) {
        self.term = term
        self.granted = granted
    }
}

/// Asks whether the receiver would vote for the candidate at `term`, the
/// candidate's currentTerm + 1, without anyone changing term (thesis 9.6).
public struct PreVote: Hashable, Sendable {
    public var term: Int
    public var candidate: ServerID
    public var lastLogIndex: Int
    public var lastLogTerm: Int

    public init(term: Int, candidate: ServerID, lastLogIndex: Int, lastLogTerm: Int) {
        self.term = term
        self.candidate = candidate
        self.lastLogIndex = lastLogIndex
        self.lastLogTerm = lastLogTerm
    }
}

/// The answer to a PreVote: `term` is the request's when granted, the
/// receiver's own when refused.
public struct PreVoteResponse: Hashable, Sendable {
    public var term: Int
    public var granted: Bool

    public init(term: Int, granted: Bool) {
        self.term = term
        self.granted = granted
    }
}

/// A leader handing over tells its target to start an election at once (thesis 3.10).
public struct TimeoutNow: Hashable, Sendable {
    public var term: Int

    public init(term: Int) {
        self.term = term
    }
}

/// Invoked by the leader to replicate entries; also the heartbeat (Figure 2).
public struct AppendEntries: Hashable, Sendable {
    public var term: Int
    public var leader: ServerID
    public var prevLogIndex: Int
    public var prevLogTerm: Int
    /// A view of the leader's log: the leader's later appends and truncations never show here.
    public var entries: LogEntries
    public var leaderCommit: Int

    public init(term: Int, leader: ServerID, prevLogIndex: Int, prevLogTerm: Int, entries: LogEntries, leaderCommit: Int) {
        self.term = term
        self.leader = leader
        self.prevLogIndex = prevLogIndex
        self.prevLogTerm = prevLogTerm
        self.entries = entries
        self.leaderCommit = leaderCommit
    }
}

public struct AppendEntriesResponse: Hashable, Sendable {
    public var term: Int
    public var success: Bool
    /// prevLogIndex + number of entries on success, 0 on failure: lets the leader
    /// raise matchIndex without remembering what it sent.
    public var matchIndex: Int

    public init(term: Int, success: Bool, matchIndex: Int) {
        self.term = term
        self.success = success
        self.matchIndex = matchIndex
    }
}

/// The four messages of Figure 2, and the three of the thesis's election
/// extensions (raftscript.md section 10).
public enum Message: Hashable, Sendable {
    case requestVote(RequestVote)
    case requestVoteResponse(RequestVoteResponse)
    case appendEntries(AppendEntries)
    case appendEntriesResponse(AppendEntriesResponse)
    case preVote(PreVote)
    case preVoteResponse(PreVoteResponse)
    case timeoutNow(TimeoutNow)

    /// Every message carries its sender's term.
    public var term: Int {
        switch self {
        case .requestVote(let m): m.term
        case .requestVoteResponse(let m): m.term
        case .appendEntries(let m): m.term
        case .appendEntriesResponse(let m): m.term
        case .preVote(let m): m.term
        case .preVoteResponse(let m): m.term
        case .timeoutNow(let m): m.term
        }
    }

    /// Requests are answered even when stale; responses with an old term are ignored.
    public var isRequest: Bool {
        switch self {
        case .requestVote, .appendEntries, .preVote, .timeoutNow: true
        case .requestVoteResponse, .appendEntriesResponse, .preVoteResponse: false
        }
    }

    public var kindName: String {
        switch self {
        case .requestVote: "RequestVote"
        case .requestVoteResponse: "RequestVoteResponse"
        case .appendEntries: "AppendEntries"
        case .appendEntriesResponse: "AppendEntriesResponse"
        case .preVote: "PreVote"
        case .preVoteResponse: "PreVoteResponse"
        case .timeoutNow: "TimeoutNow"
        }
    }
}

/// A message with its sender and receiver.
///
/// The two servers are kept as 16-bit positions (a cluster has at most 1000
/// servers), beside the key of a user's program's own fields, in the 8 bytes
/// before the message, so that an envelope stays within 72 bytes although an
/// AppendEntries carries a two-word view of the leader's log: the network
/// keeps each envelope in a slot with its list links, and a slot past 128
/// bytes is moved with a call to memcpy instead of inline loads and stores.
public struct Envelope: Hashable, Sendable {
    @usableFromInline var sender: Int16
    @usableFromInline var receiver: Int16
    /// Fields a user's server program added to the message (the node protocol's
    /// "hints"), carried verbatim to the receiver, as a key into the cluster's
    /// table of them; `.none` for raftsh's own servers.
    public var ownFields: OwnFieldsKey
    public var message: Message

    public init(from: ServerID, to: ServerID, message: Message, ownFields: OwnFieldsKey = .none) {
        sender = Int16(from.index)
        receiver = Int16(to.index)
        self.ownFields = ownFields
        self.message = message
    }

    @inlinable
    public var from: ServerID {
        get { ServerID(Int(sender)) }
        set { sender = Int16(newValue.index) }
    }

    @inlinable
    public var to: ServerID {
        get { ServerID(Int(receiver)) }
        set { receiver = Int16(newValue.index) }
    }
}
