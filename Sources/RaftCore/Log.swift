import RaftStorage

/// Consecutive entries of a log, viewed in place: what an AppendEntries
/// carries, so that sending costs the same whatever the number of entries, and
/// a message in flight keeps its entries whatever the leader's log becomes.
/// Indexed from 0 like an array: `entries[0]` is the first entry of the view,
/// whichever log index it has.
public typealias LogEntries = SharedSlice<LogEntry>

/// A Raft log, indexed from 1 as in the paper; index 0 is the empty prefix with term 0.
///
/// Its entries sit in a `SharingArray` (RaftStorage), shared by the log's copies
/// and the AppendEntries sent from it: copying or sending a log copies no entry.
/// Equality and hashing are by entries, as for an array of them.
///
/// Its small readers are inlinable: the cluster's safety checker reads logs after
/// every event, and an out-of-line call from another module copies (retains) the log.
public struct Log: Hashable, Sendable {
    @usableFromInline var storage = SharingArray<LogEntry>()

    public init() {}

    public init(_ entries: some Sequence<LogEntry>) {
        reserveCapacity(entries.underestimatedCount)
        for entry in entries { append(entry) }
    }

    /// A log of entries with these terms and empty values (how the paper draws logs).
    public init(terms: [Int]) {
        self.init(terms.lazy.map { LogEntry(term: $0) })
    }

    /// The index of the last entry; 0 for an empty log.
    @inlinable
    public var lastIndex: Int { storage.count }

    /// The term of the last entry; 0 for an empty log.
    @inlinable
    public var lastTerm: Int { lastIndex == 0 ? 0 : storage[lastIndex - 1].term }

    /// Every entry, oldest first, viewed in place.
    public var entries: LogEntries {
        storage.slice(from: 0, count: lastIndex)
    }

    public var terms: [Int] { entries.map(\.term) }

    /// The entry at a 1-based index.
    @inlinable
    public subscript(index: Int) -> LogEntry {
        precondition(index >= 1 && index <= lastIndex, "log index out of range")
        return storage[index - 1]
    }

    /// The term of the entry at `index`: 0 for index 0, nil past the end.
    @inlinable
    public func term(at index: Int) -> Int? {
        if index == 0 { return 0 }
        guard index >= 1, index <= lastIndex else { return nil }
        return storage[index - 1].term
    }

    /// The entries from `index` on, for an AppendEntries: a view of this log's
    /// storage, whatever the log later becomes.
    public func entries(from index: Int) -> LogEntries {
        precondition(index >= 1, "log index out of range")
        guard index <= lastIndex else { return LogEntries() }
        return storage.slice(from: index - 1, count: lastIndex - index + 1)
    }

    public mutating func append(_ entry: LogEntry) {
        storage.append(entry)
    }

    /// Removes the entry at `index` and every later one. Copies of the log and
    /// messages in flight keep them.
    public mutating func truncate(from index: Int) {
        precondition(index >= 1 && index <= lastIndex + 1, "log index out of range")
        storage.removeLast(keeping: index - 1)
    }

    /// Room for `minimumCapacity` entries before the next allocation.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        storage.reserveCapacity(minimumCapacity)
    }

    /// Section 5.4.1: is this log more up-to-date than one ending in (`lastTerm`,
    /// `lastIndex`)? "If the logs have last entries with different terms, then the
    /// log with the later term is more up-to-date. If the logs end with the same
    /// term, then whichever log is longer is more up-to-date."
    public func isMoreUpToDate(thanLastTerm lastTerm: Int, lastIndex: Int) -> Bool {
        self.lastTerm > lastTerm || (self.lastTerm == lastTerm && self.lastIndex > lastIndex)
    }
}
