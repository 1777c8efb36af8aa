import RaftCore

/// A broken safety property of Figure 3 of the Raft paper, with its witnesses.
public enum SafetyViolation: Hashable, Sendable {
    /// Election Safety: two servers were leader in one term.
    case twoLeaders(term: Int, first: ServerID, second: ServerID)
    /// Log Matching: two logs share (index, term) but differ at or before it.
    case logsDiverge(index: Int, term: Int, server: ServerID, other: ServerID)
    /// Leader Completeness: a leader lacks an entry committed in an earlier term.
    case leaderMissesCommittedEntry(leader: ServerID, leaderTerm: Int, index: Int, committedTerm: Int)
    /// State Machine Safety: a server committed another entry at an index than one already committed there.
    case conflictingCommit(index: Int, server: ServerID, term: Int, committedBy: ServerID, committedEntryTerm: Int)
    /// State Machine Safety: a server lost an entry it had committed.
    case lostCommittedEntry(server: ServerID, index: Int, lastIndex: Int)

    /// The property's name as the paper gives it.
    public var property: String {
        switch self {
        case .twoLeaders: "Election Safety"
        case .logsDiverge: "Log Matching"
        case .leaderMissesCommittedEntry: "Leader Completeness"
        case .conflictingCommit, .lostCommittedEntry: "State Machine Safety"
        }
    }

    /// A sentence naming servers with `name`.
    public func describe(_ name: (ServerID) -> String) -> String {
        switch self {
        case let .twoLeaders(term, first, second):
            "\(property): \(name(first)) and \(name(second)) were both leader of term \(term)"
        case let .logsDiverge(index, term, server, other):
            "\(property): \(name(server)) and \(name(other)) both hold an entry of term \(term) at index \(index) but their logs differ up to it"
        case let .leaderMissesCommittedEntry(leader, leaderTerm, index, committedTerm):
            "\(property): \(name(leader)), leader of term \(leaderTerm), lacks the entry at index \(index) committed in term \(committedTerm)"
        case let .conflictingCommit(index, server, term, committedBy, committedEntryTerm):
            "\(property): \(name(server)) committed an entry of term \(term) at index \(index), but \(name(committedBy)) committed one of term \(committedEntryTerm) there"
        case let .lostCommittedEntry(server, index, lastIndex):
            "\(property): \(name(server)) committed index \(index) but its log now ends at \(lastIndex)"
        }
    }
}
