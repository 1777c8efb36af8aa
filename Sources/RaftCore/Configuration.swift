/// Protocol choices that are the same for every server of a cluster.
public struct Configuration: Hashable, Sendable {
    /// A new leader appends an empty entry of its own term (Raft thesis 6.4), so
    /// that entries of earlier terms commit without waiting for a client.
    public var noop: Bool
    /// An election timeout makes a server a PRECANDIDATE, which asks PreVote
    /// before it disturbs anyone with a new term (thesis 9.6).
    public var prevote: Bool
    /// A leader that has not heard from a majority for an election timeout steps
    /// down (thesis 6.2), and a server that hears from a leader ignores
    /// RequestVotes of newer terms (leader stickiness, thesis 4.2.3).
    public var checkQuorum: Bool
    /// Rules deliberately broken, to show what each one protects; a bit per
    /// variant, because servers ask on every message.
    private var unsafeBits: UInt8 = 0

    public init(noop: Bool = false, prevote: Bool = false, checkQuorum: Bool = false, unsafe: Set<UnsafeVariant> = []) {
        self.noop = noop
        self.prevote = prevote
        self.checkQuorum = checkQuorum
        for variant in unsafe { setUnsafe(variant, true) }
    }

    /// Whether servers keep leader contact: only Pre-Vote and stickiness read it.
    @inlinable
    public var keepsLeaderContact: Bool { prevote || checkQuorum }

    public var unsafe: Set<UnsafeVariant> {
        Set(UnsafeVariant.allCases.filter(breaks))
    }

    /// Whether this rule is switched off.
    public func breaks(_ variant: UnsafeVariant) -> Bool {
        unsafeBits & variant.bit != 0
    }

    public mutating func setUnsafe(_ variant: UnsafeVariant, _ on: Bool) {
        if on { unsafeBits |= variant.bit } else { unsafeBits &= ~variant.bit }
    }
}

/// One safety rule of the paper switched off, so a student can watch what goes wrong.
public enum UnsafeVariant: String, Hashable, Sendable, CaseIterable {
    /// A leader commits any entry stored on a majority, whatever its term
    /// (the rule of section 5.4.2 and Figure 8 dropped).
    case commitOldTerms = "commit-old-terms"
    /// Votes are granted without the section 5.4.1 up-to-date check.
    case noUpToDateCheck = "no-uptodate-check"
    /// A server may vote again in a term it has voted in.
    case voteTwice = "vote-twice"
    /// A leader or candidate adopts a newer term it hears of but keeps its role.
    case keepStaleTerm = "keep-stale-term"
    /// A follower deletes everything after prevLogIndex even when the entries
    /// match, so a late, shorter AppendEntries erases entries.
    case truncateAlways = "truncate-always"

    var bit: UInt8 {
        switch self {
        case .commitOldTerms: 1
        case .noUpToDateCheck: 2
        case .voteTwice: 4
        case .keepStaleTerm: 8
        case .truncateAlways: 16
        }
    }
}
