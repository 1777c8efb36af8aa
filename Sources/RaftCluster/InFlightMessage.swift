import RaftCore

/// A message on the wire, numbered in the global order in which it was sent.
public struct InFlightMessage: Hashable, Sendable {
    /// Global send order: every delivery order of the language is defined by it.
    public let sequence: Int
    public let envelope: Envelope
    /// The tick at which `tick` delivers it (send time plus a drawn latency).
    public let deliverAt: Int

    public var from: ServerID { envelope.from }
    public var to: ServerID { envelope.to }
    public var message: Message { envelope.message }
}
