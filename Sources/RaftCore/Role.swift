/// A server's role, with the state that exists only in that role.
///
/// Votes exist only for a (pre-)candidate or a leader, nextIndex/matchIndex only
/// for a leader: the enum makes any other combination unrepresentable.
public enum Role: Hashable, Sendable {
    case follower
    /// Pre-Vote (thesis 9.6): asking whether an election could be won, with the
    /// pre-votes granted in this round, its own included.
    case precandidate(votes: ServerSet)
    case candidate(votes: ServerSet)
    case leader(Leadership)

    /// Inlinable: the cluster and random schedules ask on every event, and an
    /// out-of-line call would copy the role (and retain a leader's arrays) to ask.
    @inlinable
    public var kind: RoleKind {
        switch self {
        case .follower: .follower
        case .precandidate: .precandidate
        case .candidate: .candidate
        case .leader: .leader
        }
    }

    /// Votes granted this term, the server's own included (a pre-candidate's
    /// pre-votes of this round); nil for a follower.
    public var votes: ServerSet? {
        switch self {
        case .follower: nil
        case .precandidate(let votes): votes
        case .candidate(let votes): votes
        case .leader(let leadership): leadership.votes
        }
    }
}

/// A role without its state, for display, assertions and narration.
///
/// Declared in the order in which Swift numbers `Role`'s cases (those with
/// state first, FOLLOWER last), so that a role's kind is the number its value
/// already holds: the cluster asks a server's kind before and after every
/// event, and mapping one numbering onto the other cost the simulate benchmark
/// about twelve instructions an event (callgrind).
public enum RoleKind: String, Hashable, Sendable, CaseIterable {
    case precandidate = "PRECANDIDATE"
    case candidate = "CANDIDATE"
    case leader = "LEADER"
    case follower = "FOLLOWER"
}
