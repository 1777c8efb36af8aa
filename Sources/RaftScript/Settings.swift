/// Session options that are about presentation, not the cluster (the cluster
/// keeps its own protocol and timing options).
public struct Settings: Hashable, Sendable {
    /// Narrate each protocol event: on in the shell, off in scripts.
    public var trace: Bool

    public init(trace: Bool) {
        self.trace = trace
    }
}
