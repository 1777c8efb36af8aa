/// What the serial search's tables hold (fingerprints, origins, the queue),
/// against `ExploreOptions.memoryLimit`: measured as the search goes, and
/// before the allocations that can jump past it: the fingerprint set doubling,
/// the queue taking a new chunk.
struct TableMemory {
    let limit: Int
    private(set) var held = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func measure(_ visited: FingerprintSet, _ origins: Origins, _ queue: StateQueue) {
        held = visited.bytes + origins.bytes + queue.bytes
    }

    /// Whether the search may go on: within the limit, and still within it
    /// once the set and the queue have grown, if the next state makes them grow.
    func allows(growing visited: FingerprintSet, _ queue: StateQueue) -> Bool {
        held + visited.bytesToAddOne + queue.bytesToPushOne <= limit
    }

    /// Whether the next state may take a new allocation (then `held` is measured
    /// again before `allows` is asked).
    static func mayGrow(_ visited: FingerprintSet, _ queue: StateQueue) -> Bool {
        visited.bytesToAddOne > 0 || queue.bytesToPushOne > 0
    }
}
