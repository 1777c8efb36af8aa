import RaftCore

/// Why a message left the network without being handled.
public enum DropReason: Hashable, Sendable {
    /// Sender and receiver are in different partition groups.
    case partition
    /// The link from sender to receiver is cut (`cut A->B`).
    case cut
    /// The receiver is down.
    case receiverDown
    /// A `drop` command discarded it.
    case dropped
    /// `tick` lost it (the `loss` option).
    case lost
}

/// One thing that happened in the cluster, for narration.
public enum TraceEvent: Hashable, Sendable {
    case note(ServerID, Note)
    case delivered(InFlightMessage)
    /// A server handed this message to the network, in the order it will be
    /// numbered. A `.dropped` for a partition or a down receiver follows at once
    /// if the network swallows it; otherwise it is in flight under the next
    /// sequence number. Recorded only by a recording trace (the charts draw it).
    case sent(Envelope)
    case dropped(Envelope, DropReason)
    /// The network put a second copy of this message in flight.
    case duplicated(Envelope)
    /// Logical time moved on to this tick.
    case tick(Int)
}

/// What a cluster operation did, recorded only when someone will read it.
///
/// It also holds the buffer each server handles an event into: a trace lives as
/// long as its caller's loop (a command, a simulation run), so the buffer's
/// capacity is reused and a busy run allocates nothing per event. The cluster
/// works in it in place, without lending it out and taking it back.
public struct Trace: Sendable {
    public let isRecording: Bool
    public private(set) var events: [TraceEvent] = []
    /// What the server handling the current event wrote; see `startOutput`.
    var output: Output

    /// Why a user's program turned the last client request it was asked away,
    /// if it said; set only by a program's steps, so raftsh's own servers'
    /// events never touch it.
    public internal(set) var refusal: String?

    public init(recording: Bool) {
        isRecording = recording
        output = Output(recordsNotes: recording)
    }

    /// Empties the output buffer, keeping its capacity, for the next event.
    /// Inlined by force, as `Output.removeAll` is: without link-time optimization
    /// the compiler left this call in every event.
    @inline(__always)
    mutating func startOutput() {
        output.removeAll()
    }

    mutating func record(_ event: @autoclosure () -> TraceEvent) {
        if isRecording { events.append(event()) }
    }

    /// Records the notes in the output buffer as said by `server` (only a
    /// recording trace's output has notes), then the messages it is about to send.
    mutating func recordOutput(of server: ServerID) {
        events.append(contentsOf: output.notes.map { .note(server, $0) })
        events.append(contentsOf: output.messages.map { .sent($0) })
    }
}
