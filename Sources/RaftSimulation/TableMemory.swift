/// What the serial search's tables hold (fingerprints, origins, the queue),
/// against `ExploreOptions.memoryLimit`: measured as the search goes, and
/// before the fingerprint set doubles, the one allocation that can jump past it.
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
    /// once the set has grown, if the next fingerprint makes it grow.
    func allows(growing visited: FingerprintSet) -> Bool {
        held + visited.bytesToAddOne <= limit
    }
}
