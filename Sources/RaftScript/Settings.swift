/// The options of `set OPTION VALUE` that belong to the session rather than to the
/// servers (noop lives in the cluster's configuration).
public struct Settings: Hashable, Sendable {
    public var seed: UInt64 = 1
    public var electionTimeout: ClosedRange<Int> = 10...20
    public var heartbeatInterval = 3
    public var latency: ClosedRange<Int> = 1...1
    public var loss = 0.0
    /// Narrate each protocol event: on in the shell, off in scripts.
    public var trace: Bool

    public init(trace: Bool) {
        self.trace = trace
    }
}
