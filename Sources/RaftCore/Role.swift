/// What a leader tracks per follower (Figure 2, "volatile state on leaders").
public struct Leadership: Hashable, Sendable {
    /// One follower's nextIndex and matchIndex.
    public struct Progress: Hashable, Sendable {
        public internal(set) var nextIndex: Int
        public internal(set) var matchIndex: Int

        public init(nextIndex: Int, matchIndex: Int) {
            self.nextIndex = nextIndex
            self.matchIndex = matchIndex
        }
    }

    /// Indexed by `ServerID.index`; the leader's own slot is unused. One array of
    /// pairs rather than Figure 2's two arrays: a leader takes this state out of its
    /// role to update it on every response, and each array it takes out is a
    /// buffer to retain and release.
    public internal(set) var progress: [Progress]
    /// The votes that made it leader, and any granted after it won.
    public internal(set) var votes: ServerSet

    public init(progress: [Progress], votes: ServerSet) {
        self.progress = progress
        self.votes = votes
    }

    /// A new leader's: every follower's nextIndex just past the leader's log, matchIndex 0.
    init(clusterSize: Int, nextIndex: Int, votes: ServerSet) {
        // Built by `map`, which the compiler specializes: `Array(repeating:count:)`
        // allocates through the standard library's unspecialized code, which looks
        // the array's type up at run time, several times the cost of the allocation.
        progress = (0..<clusterSize).map { _ in Progress(nextIndex: nextIndex, matchIndex: 0) }
        self.votes = votes
    }

    /// Figure 2's nextIndex[], indexed by `ServerID.index`.
    public var nextIndex: [Int] { progress.map(\.nextIndex) }

    /// Figure 2's matchIndex[], indexed by `ServerID.index`.
    public var matchIndex: [Int] { progress.map(\.matchIndex) }
}

/// A server's role, with the state that exists only in that role.
///
/// Votes exist only for a candidate or a leader, nextIndex/matchIndex only for a
/// leader: the enum makes any other combination unrepresentable.
public enum Role: Hashable, Sendable {
    case follower
    case candidate(votes: ServerSet)
    case leader(Leadership)

    /// Inlinable: the cluster and random schedules ask on every event, and an
    /// out-of-line call would copy the role (and retain a leader's arrays) to ask.
    @inlinable
    public var kind: RoleKind {
        switch self {
        case .follower: .follower
        case .candidate: .candidate
        case .leader: .leader
        }
    }

    /// Votes granted this term, the server's own included; nil for a follower.
    public var votes: ServerSet? {
        switch self {
        case .follower: nil
        case .candidate(let votes): votes
        case .leader(let leadership): leadership.votes
        }
    }
}

/// A role without its state, for display, assertions and narration.
public enum RoleKind: String, Hashable, Sendable, CaseIterable {
    case follower = "FOLLOWER"
    case candidate = "CANDIDATE"
    case leader = "LEADER"
}
