/// A Raft log, indexed from 1 as in the paper; index 0 is the empty prefix with term 0.
///
/// Its small readers are inlinable: the cluster's safety checker reads logs after
/// every event, and an out-of-line call from another module copies (retains) the log.
public struct Log: Hashable, Sendable {
    public private(set) var entries: [LogEntry]

    public init(_ entries: [LogEntry] = []) {
        self.entries = entries
    }

    /// A log of entries with these terms and empty values (how the paper draws logs).
    public init(terms: [Int]) {
        self.init(terms.map { LogEntry(term: $0) })
    }

    @inlinable
    public var lastIndex: Int { entries.count }

    @inlinable
    public var lastTerm: Int { entries.last?.term ?? 0 }

    public var terms: [Int] { entries.map(\.term) }

    /// The entry at a 1-based index.
    @inlinable
    public subscript(index: Int) -> LogEntry {
        entries[index - 1]
    }

    /// The term of the entry at `index`: 0 for index 0, nil past the end.
    @inlinable
    public func term(at index: Int) -> Int? {
        if index == 0 { return 0 }
        guard index >= 1, index <= entries.count else { return nil }
        return entries[index - 1].term
    }

    /// Copies the entries from `index` on, for an AppendEntries.
    ///
    /// A copy, not a slice: a slice in flight would keep the leader's buffer shared
    /// and turn its next append into a copy of the whole log.
    public func entries(from index: Int) -> [LogEntry] {
        guard index <= entries.count else { return [] }
        return Array(entries[(index - 1)...])
    }

    public mutating func append(_ entry: LogEntry) {
        entries.append(entry)
    }

    /// Removes the entry at `index` and every later one.
    public mutating func truncate(from index: Int) {
        entries.removeSubrange((index - 1)...)
    }

    /// The section 5.4.1 comparison: is a log ending in (`lastTerm`, `lastIndex`)
    /// at least as up-to-date as this one?
    public func isNotNewer(thanLastTerm lastTerm: Int, lastIndex: Int) -> Bool {
        lastTerm > self.lastTerm || (lastTerm == self.lastTerm && lastIndex >= self.lastIndex)
    }
}
