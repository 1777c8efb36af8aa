/// A server's position in the cluster's order (s1 is 0, s2 is 1, …).
///
/// Raft only needs servers to be distinguishable; using the position keeps the
/// per-peer leader state in plain arrays and makes "peers in cluster order" a
/// counting loop instead of a sort.
public struct ServerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int

    public init(_ index: Int) {
        self.index = index
    }

    /// The `position`-th of this server's peers in cluster order (0 is the
    /// first): every server but this one, so positions from here on move up one.
    func peer(at position: Int) -> ServerID {
        ServerID(position < index ? position : position + 1)
    }

    public static func < (lhs: ServerID, rhs: ServerID) -> Bool {
        lhs.index < rhs.index
    }

    /// The default name: `s1` for index 0. Clusters with given names render their own.
    public var description: String { "s\(index + 1)" }
}
