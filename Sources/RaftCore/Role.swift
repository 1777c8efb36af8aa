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
