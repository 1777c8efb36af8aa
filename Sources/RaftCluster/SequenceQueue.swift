import DequeModule

/// Sequence numbers of in-flight messages in send order, for one link or one
/// delivery tick. Messages leave by other routes too, so entries can go stale:
/// stale ones are skipped at the front and swept out when they outnumber the
/// live ones, which keeps every operation O(1) amortized and memory bounded.
struct SequenceQueue: Hashable, Sendable {
    private var sequences: Deque<Int> = []
    private(set) var live = 0

    mutating func append(_ sequence: Int) {
        sequences.append(sequence)
        live += 1
    }

    /// The oldest live sequence number, forgetting stale ones in front of it.
    mutating func first(isLive: (Int) -> Bool) -> Int? {
        while let sequence = sequences.first {
            if isLive(sequence) { return sequence }
            sequences.removeFirst()
        }
        return nil
    }

    /// The first entry, oldest first, that `matches` (it is asked about stale ones too).
    func firstLive(where matches: (Int) -> Bool) -> Int? {
        sequences.first(where: matches)
    }

    /// Every live sequence number, oldest first.
    func all(isLive: (Int) -> Bool) -> [Int] {
        sequences.filter(isLive)
    }

    /// Notes that `sequence` (one of ours) left the network; `isLive` already says no for it.
    mutating func removed(_ sequence: Int, isLive: (Int) -> Bool) {
        live -= 1
        if sequences.first == sequence {
            sequences.removeFirst()
        } else if sequences.count > 2 * live + 16 {
            sequences = Deque(sequences.filter(isLive))
        }
    }
}
