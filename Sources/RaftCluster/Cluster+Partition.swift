import RaftCore

/// Network partitions.
extension Cluster {
    /// Splits the servers into `groups`; servers not named form one more group.
    /// Messages in flight between groups are lost, and so is every later one until `heal`.
    public mutating func partition(_ named: [[ServerID]], trace: inout Trace) throws(ClusterError) {
        var group = Array(repeating: named.count, count: size)
        for (number, members) in named.enumerated() {
            for id in members {
                guard group[id.index] == named.count else { throw .serverInTwoGroups(name(id)) }
                group[id.index] = number
            }
        }
        groups = group
        network.removeAll(onLinks: { group[$0.index] != group[$1.index] }) { trace.record(.dropped($0, .partition)) }
    }

    /// Full connectivity again; nothing lost comes back.
    public mutating func heal() {
        groups = nil
    }
}
