/// Session options that are about presentation, not the cluster (the cluster
/// keeps its own protocol and timing options).
public struct Settings: Hashable, Sendable {
    /// Narrate each protocol event: on in the shell, off in scripts.
    public var trace: Bool
    /// The terminal's width in columns, when output goes to one: `help` and
    /// `show net` wrap their long lines there, on word boundaries. Nil: no wrapping.
    public var width: Int?

    public init(trace: Bool, width: Int? = nil) {
        self.trace = trace
        self.width = width
    }
}
