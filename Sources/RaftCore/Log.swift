/// A Raft log, indexed from 1 as in the paper; index 0 is the empty prefix with term 0.
///
/// A log is the first `lastIndex` slots of a `LogStorage` that its copies and
/// the AppendEntries sent from it share: copying or sending a log copies no
/// entry, and appending writes in place even while the storage is shared.
/// Equality and hashing are by entries, as for an array of them.
///
/// Its small readers are inlinable: the cluster's safety checker reads logs after
/// every event, and an out-of-line call from another module copies (retains) the log.
public struct Log: Hashable, Sendable {
    /// nil until the first append.
    @usableFromInline var storage: LogStorage?
    public private(set) var lastIndex = 0

    public init() {}

    public init(_ entries: some Sequence<LogEntry>) {
        reserveCapacity(entries.underestimatedCount)
        for entry in entries { append(entry) }
    }

    /// A log of entries with these terms and empty values (how the paper draws logs).
    public init(terms: [Int]) {
        self.init(terms.lazy.map { LogEntry(term: $0) })
    }

    @inlinable
    public var lastTerm: Int {
        lastIndex == 0 ? 0 : storage.unsafelyUnwrapped.base[lastIndex - 1].term
    }

    /// Every entry, oldest first, viewed in place.
    public var entries: LogEntries {
        LogEntries(storage, from: 0, count: lastIndex)
    }

    public var terms: [Int] { entries.map(\.term) }

    /// The entry at a 1-based index.
    @inlinable
    public subscript(index: Int) -> LogEntry {
        precondition(index >= 1 && index <= lastIndex, "log index out of range")
        return storage.unsafelyUnwrapped.base[index - 1]
    }

    /// The term of the entry at `index`: 0 for index 0, nil past the end.
    @inlinable
    public func term(at index: Int) -> Int? {
        if index == 0 { return 0 }
        guard index >= 1, index <= lastIndex else { return nil }
        return storage.unsafelyUnwrapped.base[index - 1].term
    }

    /// The entries from `index` on, for an AppendEntries: a view of this log's
    /// storage, whatever the log later becomes.
    public func entries(from index: Int) -> LogEntries {
        precondition(index >= 1, "log index out of range")
        guard index <= lastIndex else { return LogEntries() }
        return LogEntries(storage, from: index - 1, count: lastIndex - index + 1)
    }

    public mutating func append(_ entry: LogEntry) {
        if storage?.claim(lastIndex) != true { reclaimOrRelocate() }
        (storage.unsafelyUnwrapped.base + lastIndex).initialize(to: entry)
        lastIndex += 1
    }

    /// Removes the entry at `index` and every later one. Only the count drops:
    /// copies of the log and messages in flight may still read those slots.
    public mutating func truncate(from index: Int) {
        precondition(index >= 1 && index <= lastIndex + 1, "log index out of range")
        lastIndex = index - 1
    }

    /// Room for `minimumCapacity` entries before the next allocation.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > storage?.capacity ?? 0 { relocate(capacity: minimumCapacity) }
    }

    /// The section 5.4.1 comparison: is a log ending in (`lastTerm`, `lastIndex`)
    /// at least as up-to-date as this one?
    public func isNotNewer(thanLastTerm lastTerm: Int, lastIndex: Int) -> Bool {
        lastTerm > self.lastTerm || (lastTerm == self.lastTerm && lastIndex >= self.lastIndex)
    }

    public static func == (lhs: Log, rhs: Log) -> Bool {
        lhs.entries == rhs.entries
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries)
    }

    /// The slot after this log's end could not be claimed: the storage is full,
    /// or this log was truncated, or another copy of it appended first. The
    /// storage's only holder drops what lies past its end and carries on in
    /// place; a log sharing its storage moves to one of its own.
    private mutating func reclaimOrRelocate() {
        if isKnownUniquelyReferenced(&storage), let own = storage, lastIndex < own.capacity {
            own.release(from: lastIndex)
        } else {
            relocate(capacity: max(2 * lastIndex, LogStorage.minimumCapacity))
        }
        let claimed = storage.unsafelyUnwrapped.claim(lastIndex)
        precondition(claimed, "a log's own storage refused its next slot")
    }

    /// Moves this log's entries to a new storage: moved out of one it holds
    /// alone, copied out of one it shares.
    private mutating func relocate(capacity: Int) {
        if isKnownUniquelyReferenced(&storage), let own = storage {
            storage = own.move(lastIndex, capacity: capacity)
        } else {
            storage = storage?.copy(lastIndex, capacity: capacity) ?? LogStorage(capacity: capacity)
        }
    }
}
