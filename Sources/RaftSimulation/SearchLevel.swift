import RaftCluster

/// The states of one breadth-first level, waiting to be expanded by a parallel
/// search: stored as bytes (`Cluster.write(to:values:)`) in batches, one per
/// piece of the level before, in the order the serial search would queue them.
struct SearchLevel {
    /// How a stored state was reached, and where its bytes start, in 12 bytes
    /// (a state's number fits 32 bits, as `Origins` packs it so too).
    struct Entry {
        var offset: UInt32
        /// Its number among the distinct states, for the path back to the start.
        var index: UInt32
        /// Client requests made on the way.
        var submitted: UInt32
    }

    struct Batch {
        var bytes: [UInt8]
        var entries: [Entry]
    }

    /// A share of the work: a run of one batch's states, expanded by one thread.
    struct Piece {
        var batch: Int
        var entries: Range<Int>
    }

    /// States a piece holds at most: enough to make handing it out cheap,
    /// few enough that two threads finish a level at about the same time.
    static let pieceSize = 256

    private(set) var batches: [Batch] = []
    private(set) var count = 0
    /// The memory the batches hold.
    private(set) var bytes = 0

    mutating func append(_ batch: Batch) {
        guard !batch.entries.isEmpty else { return }
        count += batch.entries.count
        bytes += batch.bytes.capacity + batch.entries.capacity * MemoryLayout<Entry>.stride
        batches.append(batch)
    }

    /// The level cut into pieces, in order.
    var pieces: [Piece] {
        var pieces: [Piece] = []
        for (index, batch) in batches.enumerated() {
            for start in stride(from: 0, to: batch.entries.count, by: Self.pieceSize) {
                pieces.append(Piece(batch: index, entries: start..<min(start + Self.pieceSize, batch.entries.count)))
            }
        }
        return pieces
    }
}

/// What a thread made of one piece of a level: every successor not seen in an
/// earlier level, in the serial search's order, for the one thread that then
/// numbers the new ones (the same numbers, hence the same paths, as `--jobs 1`).
struct Expansion {
    /// A successor that was not in the fingerprint set when the level began.
    struct Candidate {
        var fingerprint: UInt64
        /// The number of the state it was reached from.
        var parent: UInt32
        var code: UInt32
        /// The states it stands for without symmetry reduction.
        var orbit: UInt32
        /// Client requests made on the way.
        var submitted: UInt32
        /// Successors generated just before it that earlier levels had seen.
        var repeatsBefore: UInt32
        /// Where its stored form starts; -1 when it is not stored (past a bound, or unsafe).
        var offset: Int32
    }

    var candidates: [Candidate] = []
    var stored = StateWriter()
    /// The violations of the candidates that have one, by position.
    var violations: [Int: SafetyViolation] = [:]
    /// A program's failure, after the candidates before `position`.
    var failure: (position: Int, error: ClusterError)?
    /// Successors generated after the last candidate that earlier levels had seen.
    var repeatsAfter = 0

    /// The memory it holds.
    var bytes: Int { candidates.capacity * MemoryLayout<Candidate>.stride + stored.bytes.capacity }
}
