import Testing
@testable import RaftCore
@testable import RaftStorage

/// The outbox hands its messages on by moving them; it must keep their order,
/// never let a copy see the move, and neither leak nor over-release what a
/// message holds (an AppendEntries keeps its leader's log storage alive).
@Suite(.timeLimit(.minutes(3)))
struct OutboxTests {
    /// Ten messages to different receivers, so order is visible, each carrying entries.
    static func messages() -> [Envelope] {
        let entries = LogEntries([LogEntry(term: 1, value: "x"), LogEntry(term: 1, value: "y")])
        return (0..<10).map { index in
            let request = AppendEntries(term: 1, leader: s(1), prevLogIndex: index, prevLogTerm: 1, entries: entries, leaderCommit: 0)
            return Envelope(from: s(1), to: ServerID(index), message: .appendEntries(request))
        }
    }

    @Test func keepsTheOrderSentPastItsFirstCapacity() {
        var outbox = Outbox<Envelope>()
        #expect(outbox.isEmpty)
        for envelope in Self.messages() { outbox.append(envelope) }
        #expect(Array(outbox) == Self.messages())
        #expect(outbox[9].to == ServerID(9))
    }

    @Test func handsEveryMessageOnInOrderAndIsLeftEmpty() {
        var outbox = Outbox<Envelope>()
        for envelope in Self.messages() { outbox.append(envelope) }
        var received: [Envelope] = []
        outbox.removeAll { received.append($0) }
        #expect(received == Self.messages())
        #expect(outbox.isEmpty)
        // Still usable, in its old buffer.
        outbox.append(Self.messages()[3])
        #expect(Array(outbox) == [Self.messages()[3]])
    }

    @Test func aCopyKeepsItsMessagesWhenTheOriginalHandsThemOn() {
        var outbox = Outbox<Envelope>()
        for envelope in Self.messages().prefix(3) { outbox.append(envelope) }
        let copy = outbox
        var received: [Envelope] = []
        outbox.removeAll { received.append($0) }
        #expect(received == Array(Self.messages().prefix(3)))
        #expect(Array(copy) == Array(Self.messages().prefix(3)))
        outbox.append(Self.messages()[5])
        #expect(copy.count == 3)
        #expect(outbox == [Self.messages()[5]])
    }

    /// A broadcast appends after what is there, in order, growing the buffer
    /// as far as it needs at once, and leaves a copy as it was.
    @Test func appendsABroadcastInOrderAfterWhatIsThere() {
        var outbox = Outbox<Envelope>()
        outbox.append(Self.messages()[0])
        let copy = outbox
        outbox.append(count: 2) { Self.messages()[$0 + 1] }  // fits the shared buffer
        outbox.append(count: 7) { Self.messages()[$0 + 3] }  // does not fit
        #expect(Array(outbox) == Self.messages())
        #expect(Array(copy) == [Self.messages()[0]])
        outbox.append(count: 0) { _ in Issue.record("made a message for an empty broadcast"); return Self.messages()[0] }
        #expect(outbox.count == 10)
        var empty = Outbox<Envelope>()
        empty.append(count: 3) { Self.messages()[$0] }
        #expect(Array(empty) == Array(Self.messages().prefix(3)))
    }

    @Test func aCopyKeepsItsMessagesWhenTheOriginalIsEmptied() {
        var outbox = Outbox<Envelope>()
        for envelope in Self.messages().prefix(2) { outbox.append(envelope) }
        let copy = outbox
        outbox.removeAll()
        #expect(outbox.isEmpty)
        #expect(Array(copy) == Array(Self.messages().prefix(2)))
    }

    /// The entries' storage is freed once the last message holding it is gone:
    /// moved messages are not released twice (that would crash) nor kept (a leak).
    @Test func releasesWhatItsMessagesHoldExactlyOnce() {
        weak var storage: SharedBuffer<LogEntry>?
        do {
            var outbox = Outbox<Envelope>()
            do {
                let entries = LogEntries([LogEntry(term: 1, value: "x")])
                storage = entries.storage
                for index in 0..<6 {
                    let request = AppendEntries(term: 1, leader: s(1), prevLogIndex: 0, prevLogTerm: 0, entries: entries, leaderCommit: 0)
                    outbox.append(Envelope(from: s(1), to: ServerID(index), message: .appendEntries(request)))
                }
            }
            outbox.append(count: 4) { index in
                let request = AppendEntries(term: 1, leader: s(1), prevLogIndex: 0, prevLogTerm: 0, entries: LogEntries(storage, from: 0, count: 1), leaderCommit: 0)
                return Envelope(from: s(1), to: ServerID(index), message: .appendEntries(request))
            }
            var kept: [Envelope] = []
            outbox.removeAll { kept.append($0) }
            #expect(kept.count == 10)
            #expect(storage != nil)
            kept.removeAll()
            #expect(storage == nil)
            outbox.append(Envelope(from: s(1), to: s(2), message: appendEntries(1, leader: s(1), entries: [1])))
            guard case .appendEntries(let request) = outbox[0].message else { Issue.record("not an AppendEntries"); return }
            storage = request.entries.storage
        }
        #expect(storage == nil)
    }
}
