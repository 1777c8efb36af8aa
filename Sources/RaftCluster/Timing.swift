/// The settings of logical time (raftscript.md sections 5 and 6).
public struct Timing: Hashable, Sendable {
    /// Election timeout in ticks, drawn uniformly at each reset.
    public var electionTimeout: ClosedRange<Int> = 10...20
    /// Ticks between a leader's heartbeats.
    public var heartbeatInterval = 3
    /// Ticks a message spends in flight, drawn per message.
    public var latency: ClosedRange<Int> = 1...1
    /// Probability that a message due under `tick` is lost instead of delivered.
    public var loss = 0.0
    /// The seed the generator starts from (and restarts from with a new cluster).
    public var seed: UInt64 = 1

    public init() {}
}
