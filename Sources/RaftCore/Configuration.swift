/// Protocol choices that are the same for every server of a cluster.
public struct Configuration: Hashable, Sendable {
    /// A new leader appends an empty entry of its own term (Raft thesis 6.4), so
    /// that entries of earlier terms commit without waiting for a client.
    public var noop: Bool

    public init(noop: Bool = false) {
        self.noop = noop
    }
}
