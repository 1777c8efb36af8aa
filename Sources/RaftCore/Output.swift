import RaftStorage

/// What a server asks its environment to do after handling one event.
///
/// The server never sends or prints anything itself; the cluster carries out
/// the output. It is passed `inout` so a busy simulation reuses one buffer.
public struct Output: Sendable {
    /// Messages to put in flight, in the order sent.
    public var messages = Outbox<Envelope>()
    /// Narration; filled only when `recordsNotes` is set.
    public var notes: [Note] = []
    public let recordsNotes: Bool
    /// The server's election timer starts again (section 5.2): it became
    /// candidate, granted a vote, accepted AppendEntries from the current leader,
    /// or stepped down from leader. Every reset a server asks for is said here;
    /// its environment draws the timeout, and restarts a LEADER's own election
    /// timer (raftscript.md section 10) when it wins or starts a transfer.
    public var resetsElectionTimer = false
    /// The lowest log index whose entry was removed, replaced or added, so that
    /// checkers look at what changed and not at the whole log.
    public var logChangedFrom: Int?

    public init(recordsNotes: Bool = false) {
        self.recordsNotes = recordsNotes
    }

    /// Empties the buffers for the next event, keeping their capacity. Inlined:
    /// the cluster calls it before every event, most often with nothing to empty,
    /// and the call cost as much as the checks.
    @inlinable @inline(__always)
    public mutating func removeAll() {
        messages.removeAll()
        if !notes.isEmpty { notes.removeAll(keepingCapacity: true) }
        resetsElectionTimer = false
        logChangedFrom = nil
    }

    public mutating func note(_ note: @autoclosure () -> Note) {
        if recordsNotes { notes.append(note()) }
    }

    public mutating func logChanged(from index: Int) {
        logChangedFrom = min(logChangedFrom ?? index, index)
    }
}
