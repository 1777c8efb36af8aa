/// How a search first reached each distinct state: its parent's number and the
/// step, packed in 8 bytes, so the shortest path to a violation can be rebuilt.
///
/// Kept in fixed-size chunks rather than one array: a growing array would
/// briefly hold its old and new storage, half again the memory at the worst moment.
struct Origins {
    private static let chunkSize = 1 << 16
    private var chunks: [[UInt64]] = []
    private(set) var count = 0

    /// The memory its chunks hold.
    var bytes: Int { chunks.reduce(0) { $0 + $1.capacity } * MemoryLayout<UInt64>.stride }

    /// Records state number `count`, reached from `parent` (nil for the start) by the step with `code`.
    mutating func append(parent: Int?, code: UInt32) {
        if count % Self.chunkSize == 0 {
            chunks.append([])
            // The first grows as a small search needs it; the others are reserved whole.
            chunks[chunks.count - 1].reserveCapacity(count == 0 ? 1 << 10 : Self.chunkSize)
        }
        let parentBits = parent.map { UInt64($0) } ?? UInt64(UInt32.max)
        chunks[chunks.count - 1].append(parentBits << 32 | UInt64(code))
        count += 1
    }

    /// The codes of the steps from the start to state `index`, in order.
    func path(to index: Int) -> [UInt32] {
        var codes: [UInt32] = []
        var current = index
        while true {
            let packed = chunks[current / Self.chunkSize][current % Self.chunkSize]
            let parent = packed >> 32
            guard parent != UInt64(UInt32.max) else { break }
            codes.append(UInt32(truncatingIfNeeded: packed))
            current = Int(parent)
        }
        return codes.reversed()
    }
}
