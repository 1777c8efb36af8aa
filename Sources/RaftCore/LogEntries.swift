/// Consecutive entries of a log, viewed in place in its storage: what an
/// AppendEntries carries, so that sending costs the same whatever the number
/// of entries, and a message in flight keeps its entries whatever the leader's
/// log becomes (storage slots below a log's end are never written again).
///
/// Indexed from 0 like an array: `entries[0]` is the first entry of the view,
/// whichever log index it has. Equal when the entries are equal, whichever
/// storage they sit in.
public struct LogEntries: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// nil when empty, so that a heartbeat retains nothing.
    @usableFromInline let storage: LogStorage?
    /// The slot of the first entry and the number of entries, 32 bits each so
    /// that the view is two words: every message in flight is as large as an
    /// AppendEntries, and the network copies messages in and out.
    @usableFromInline let start: Int32
    @usableFromInline let length: Int32

    @inlinable
    init(_ storage: LogStorage?, from start: Int, count: Int) {
        self.storage = count == 0 ? nil : storage
        self.start = count == 0 ? 0 : Int32(start)
        length = Int32(count)
    }

    /// No entries: a heartbeat's.
    @inlinable
    public init() {
        self.init(nil, from: 0, count: 0)
    }

    public init(_ entries: some Sequence<LogEntry>) {
        self = Log(entries).entries
    }

    public init(arrayLiteral entries: LogEntry...) {
        self.init(entries)
    }

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int { Int(length) }

    @inlinable
    public var count: Int { Int(length) }

    @inlinable
    public subscript(position: Int) -> LogEntry {
        precondition(position >= 0 && position < count, "index out of range")
        return storage.unsafelyUnwrapped.base[Int(start) + position]
    }

    public static func == (lhs: LogEntries, rhs: LogEntries) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return (lhs.storage === rhs.storage && lhs.start == rhs.start) || lhs.elementsEqual(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for entry in self { hasher.combine(entry) }
    }

    public var description: String { Array(self).description }
}
