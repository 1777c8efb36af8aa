import RaftCore

/// One-way link cuts (section 10 of the language), for partial partitions: A
/// reaches B and B reaches C, while A does not reach C.
extension Cluster {
    /// Cuts the link from `from` to `to`: what is in flight on it is lost, and so
    /// is every later message on it until it is healed. False if it was cut already.
    @discardableResult
    public mutating func cut(from: ServerID, to: ServerID, trace: inout Trace) throws(ClusterError) -> Bool {
        guard from != to else { throw .cutToItself(name(from)) }
        guard cuts.insert(from: from, to: to) else { return false }
        network.removeAll(onLinks: { $0 == from && $1 == to }) { trace.record(.dropped($0, .cut)) }
        return true
    }

    /// Heals one cut link; false (not an error) if it was not cut. Nothing lost comes back.
    @discardableResult
    public mutating func heal(from: ServerID, to: ServerID) -> Bool {
        cuts.remove(from: from, to: to)
    }

    /// Whether messages from `from` to `to` get through: no partition between
    /// them and no cut on the link.
    public func reaches(_ from: ServerID, _ to: ServerID) -> Bool {
        isConnected(from, to) && !cuts.contains(from: from, to: to)
    }
}
