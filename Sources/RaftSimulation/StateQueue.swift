import DequeModule
import RaftCluster

/// The states a breadth-first search has yet to expand, stored as bytes
/// (`Cluster.write(to:values:)`), oldest first.
///
/// A whole `Cluster` value costs hundreds of bytes of separately allocated
/// arrays; its stored form is a few dozen bytes in chunks of up to 1 MiB, and a chunk
/// is freed as soon as every state in it has been taken out.
struct StateQueue {
    /// How a queued state was reached.
    struct Entry {
        /// Its number among the distinct states, for the path back to the start.
        var index: Int
        var depth: Int
        /// Client requests made on the way.
        var submitted: Int
    }

    private static let chunkSize = 1 << 20
    /// The first chunk's size: a small search needs no more. Each next one is
    /// twice the last, up to `chunkSize`.
    private static let firstChunkSize = 1 << 16
    private var nextChunkSize = firstChunkSize
    /// Full chunks, oldest first; states are read from the first (or from `tail` when there is none).
    private var chunks: Deque<[UInt8]> = []
    private var tail = StateWriter(reservingCapacity: 0)
    private var readOffset = 0
    private(set) var count = 0

    /// The memory its chunks hold.
    var bytes: Int { chunks.reduce(tail.bytes.capacity) { $0 + $1.capacity } }

    /// The memory the next push takes: a new chunk when the last one is full, else none.
    var bytesToPushOne: Int { tail.bytes.capacity == 0 ? nextChunkSize + nextChunkSize / 16 : 0 }

    mutating func push(_ entry: Entry, state: Cluster, values: inout ValueTable) {
        if tail.bytes.capacity == 0 { tail = StateWriter(reservingCapacity: nextChunkSize + nextChunkSize / 16) }
        tail.write(entry.index)
        tail.write(entry.depth)
        tail.write(entry.submitted)
        state.write(to: &tail, values: &values)
        count += 1
        if tail.bytes.count >= nextChunkSize {
            chunks.append(tail.bytes)
            tail = StateWriter(reservingCapacity: 0)
            nextChunkSize = min(2 * nextChunkSize, Self.chunkSize)
        }
    }

    /// Takes out the oldest state, restoring it into `cluster` (which `restored`
    /// says what it was last restored from).
    mutating func pop(into cluster: inout Cluster, values: ValueTable, keeping restored: inout RestoredServers) -> Entry? {
        guard count > 0 else { return nil }
        count -= 1
        var reader = StateReader(chunks.first ?? tail.bytes, at: readOffset)
        let entry = Entry(index: reader.readInt(), depth: reader.readInt(), submitted: reader.readInt())
        cluster.restore(from: &reader, values: values, keeping: &restored)
        readOffset = reader.position
        if let first = chunks.first {
            if readOffset == first.count {
                chunks.removeFirst()
                readOffset = 0
            }
        } else if count == 0 {
            tail.removeAll()
            readOffset = 0
        }
        return entry
    }
}
