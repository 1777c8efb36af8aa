import RaftCore

/// Why a message left the network without being handled.
public enum DropReason: Hashable, Sendable {
    /// Sender and receiver are in different partition groups.
    case partition
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
    case dropped(Envelope, DropReason)
    /// The network put a second copy of this message in flight.
    case duplicated(Envelope)
    /// Logical time moved on to this tick.
    case tick(Int)
}

/// What a cluster operation did, recorded only when someone will read it.
///
/// It also lends the cluster the buffer each server handles an event into: a
/// trace lives as long as its caller's loop (a command, a simulation run), so
/// the buffer's capacity is reused and a busy run allocates nothing per event.
public struct Trace: Sendable {
    public let isRecording: Bool
    public private(set) var events: [TraceEvent] = []
    private var output: Output

    public init(recording: Bool) {
        isRecording = recording
        output = Output(recordsNotes: recording)
    }

    /// The buffer to handle an event into, empty; give it back with `reuse` when done.
    mutating func borrowOutput() -> Output {
        var borrowed = Output(recordsNotes: isRecording)
        swap(&borrowed, &output)
        borrowed.removeAll()  // here, while this is its only reference, so it keeps its capacity
        return borrowed
    }

    mutating func reuse(_ buffer: Output) {
        output = buffer
    }

    mutating func record(_ event: @autoclosure () -> TraceEvent) {
        if isRecording { events.append(event()) }
    }

    mutating func record(notes: [Note], of server: ServerID) {
        guard isRecording else { return }
        events.append(contentsOf: notes.map { .note(server, $0) })
    }
}
