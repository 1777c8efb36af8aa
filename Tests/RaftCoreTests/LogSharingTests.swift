import Testing
@testable import RaftCore
@testable import RaftStorage

/// A log's copies and the AppendEntries cut from it share one storage; none of
/// them may ever see another's appends or truncations.
@Suite(.timeLimit(.minutes(3)))
struct LogSharingTests {
    static func entry(_ term: Int, _ value: String) -> LogEntry {
        LogEntry(term: term, value: value)
    }

    /// A log with room to grow in place, so that appends to copies of it race
    /// for the same slots instead of moving to storages of their own.
    static func roomy(_ entries: [LogEntry]) -> Log {
        var log = Log()
        log.reserveCapacity(16)
        for entry in entries { log.append(entry) }
        return log
    }

    static func roomy(terms: [Int]) -> Log {
        roomy(terms.map { LogEntry(term: $0) })
    }

    /// The storage's identity, without holding a reference that would make it shared.
    static func identity(_ log: Log) -> ObjectIdentifier? {
        log.storage.storage.map(ObjectIdentifier.init)
    }

    @Test func sentEntriesSurviveLaterAppends() {
        var log = Self.roomy(terms: [1, 1])
        let storage = Self.identity(log)
        let sent = log.entries(from: 2)
        log.append(Self.entry(2, "a"))
        log.append(Self.entry(2, "b"))
        #expect(Self.identity(log) == storage, "appended in place, next to the entries in flight")
        #expect(sent == [LogEntry(term: 1)])
        #expect(log.entries(from: 2) == [LogEntry(term: 1), Self.entry(2, "a"), Self.entry(2, "b")])
    }

    @Test func sentEntriesSurviveTruncationAndNewEntries() {
        var log = Self.roomy([Self.entry(1, "a"), Self.entry(1, "b"), Self.entry(1, "c")])
        let sent = log.entries(from: 1)
        log.truncate(from: 2)
        log.append(Self.entry(2, "x"))
        log.append(Self.entry(2, "y"))
        #expect(sent == [Self.entry(1, "a"), Self.entry(1, "b"), Self.entry(1, "c")])
        #expect(log.entries == [Self.entry(1, "a"), Self.entry(2, "x"), Self.entry(2, "y")])
    }

    @Test func copiesAppendingDifferentEntriesStayIndependent() {
        var first = Self.roomy(terms: [1, 1])
        let storage = Self.identity(first)
        let sent = first.entries
        var second = first
        first.append(Self.entry(2, "first"))
        second.append(Self.entry(3, "second"))
        #expect(Self.identity(first) == storage)
        #expect(Self.identity(second) != storage)
        second.append(Self.entry(3, "more"))
        first.append(Self.entry(2, "again"))
        #expect(first.entries == [LogEntry(term: 1), LogEntry(term: 1), Self.entry(2, "first"), Self.entry(2, "again")])
        #expect(second.entries == [LogEntry(term: 1), LogEntry(term: 1), Self.entry(3, "second"), Self.entry(3, "more")])
        #expect(sent == [LogEntry(term: 1), LogEntry(term: 1)])
    }

    @Test func aTruncatedCopyLeavesTheOriginalAlone() {
        var original = Self.roomy(terms: [1, 1, 1])
        var copy = original
        copy.truncate(from: 2)
        copy.append(Self.entry(4, "copy"))
        original.append(Self.entry(2, "original"))
        #expect(copy.entries == [LogEntry(term: 1), Self.entry(4, "copy")])
        #expect(original.terms == [1, 1, 1, 2])
        #expect(original[4] == Self.entry(2, "original"))
    }

    @Test func aSoleHolderReusesItsStorageAfterTruncation() {
        var log = Self.roomy([Self.entry(1, "a"), Self.entry(1, "b"), Self.entry(1, "c")])
        let storage = Self.identity(log)
        log.truncate(from: 2)
        log.append(Self.entry(2, "x"))
        #expect(Self.identity(log) == storage)
        #expect(log.entries == [Self.entry(1, "a"), Self.entry(2, "x")])
        for value in ["y", "z", "w", "v", "u", "t", "s"] { log.append(Self.entry(2, value)) }
        #expect(log.lastIndex == 9)
        #expect(log.entries.map(\.value) == ["a", "x", "y", "z", "w", "v", "u", "t", "s"])
        log.truncate(from: 1)
        log.append(Self.entry(3, "fresh"))
        #expect(log.entries == [Self.entry(3, "fresh")])
    }

    @Test func aSharedStorageIsNotReusedAfterTruncation() {
        var log = Self.roomy([Self.entry(1, "a"), Self.entry(1, "b")])
        let storage = Self.identity(log)
        let sent = log.entries(from: 2)
        log.truncate(from: 2)
        log.append(Self.entry(2, "x"))
        #expect(Self.identity(log) != storage)
        #expect(sent == [Self.entry(1, "b")])
        #expect(log.entries == [Self.entry(1, "a"), Self.entry(2, "x")])
    }

    @Test func equalEntriesAreEqualWhateverTheStorage() {
        let built = Log(terms: [1, 2, 2])
        var appended = Log()
        for term in [1, 2, 2] { appended.append(LogEntry(term: term)) }
        var rewritten = Self.roomy(terms: [1, 3, 3, 3])
        let keepsOldSlots = rewritten
        rewritten.truncate(from: 2)
        rewritten.append(LogEntry(term: 2))
        rewritten.append(LogEntry(term: 2))
        for log in [appended, rewritten] {
            #expect(log == built)
            #expect(log.hashValue == built.hashValue)
        }
        #expect(keepsOldSlots.terms == [1, 3, 3, 3])

        let tail = Log(terms: [7, 2, 2]).entries(from: 2)
        let array: LogEntries = [LogEntry(term: 2), LogEntry(term: 2)]
        #expect(tail == array)
        #expect(tail.hashValue == array.hashValue)
        #expect(tail == built.entries(from: 2))
        #expect(tail != built.entries(from: 1))
        #expect(Log(terms: [1, 2]) != built)
    }

    @Test func emptyViewsHoldNoStorage() {
        let log = Log(terms: [1, 1])
        let empties: [LogEntries] = [log.entries(from: 3), log.entries(from: 4), LogEntries(), [], LogEntries([]), Log().entries]
        for empty in empties {
            #expect(empty.storage == nil)
            #expect(empty.isEmpty)
            #expect(empty == LogEntries())
        }
        var truncated = log
        truncated.truncate(from: 1)
        #expect(truncated.entries.storage == nil)
        #expect(truncated == Log())
    }

    @Test func viewsIndexFromZero() {
        let view = Log(terms: [1, 2, 3, 4]).entries(from: 3)
        #expect(view.indices == 0..<2)
        #expect(view[0] == LogEntry(term: 3))
        #expect(view[1] == LogEntry(term: 4))
        #expect(view.description == Array(view).description)
    }

    /// The same through servers: a broadcast AppendEntries keeps what it carried
    /// while the leader appends and while a copy of the leader is overruled.
    @Test func messagesKeepTheirEntriesWhileServersMoveOn() throws {
        var leader = Server(id: s(1), clusterSize: 3)
        try leader.setLog(Log(terms: [1]))
        _ = leader.handle(.electionTimeout)
        _ = leader.receive(vote(2), from: s(2))
        let heartbeat = leader.handle(.heartbeatTimeout).messages
        let sent = leader.handle(.clientRequest("x")).messages
        let carried: LogEntries = [Self.entry(2, "x")]
        var overruled = leader
        _ = leader.handle(.clientRequest("y"))
        _ = overruled.receive(appendEntries(3, leader: s(3), prevLogIndex: 1, prevLogTerm: 1, entries: [3, 3]), from: s(3))
        _ = overruled.handle(.clientRequest("z"))

        #expect(sent.count == 2)
        for envelope in sent {
            guard case .appendEntries(let request) = envelope.message else { Issue.record("not AppendEntries"); continue }
            #expect(request.prevLogIndex == 1)
            #expect(request.entries == carried)
        }
        #expect(heartbeat.count == 2)
        for envelope in heartbeat {
            guard case .appendEntries(let request) = envelope.message else { Issue.record("not AppendEntries"); continue }
            #expect(request.entries.storage == nil)
        }
        #expect(leader.log.entries.map(\.value) == ["", "x", "y"])
        #expect(overruled.log.terms == [1, 3, 3])
    }
}
