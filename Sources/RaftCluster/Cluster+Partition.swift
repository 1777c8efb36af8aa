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
        dropMessagesBetweenGroups(trace: &trace)
    }

    /// `partition([members])`, with the group as a set: how random schedules
    /// partition, without building arrays (the group list is rewritten in place,
    /// or the one the last heal took away is filled in again).
    public mutating func partition(isolating members: ServerSet, trace: inout Trace) {
        // Built by `map`, not `Array(repeating:count:)`, for the reason given at
        // `Leadership.init(clusterSize:nextIndex:votes:)`.
        if groups == nil { groups = healedGroups.value.take() ?? (0..<size).map { _ in 1 } }
        for index in 0..<size {
            groups![index] = members.contains(ServerID(index)) ? 0 : 1
        }
        dropMessagesBetweenGroups(trace: &trace)
    }

    private mutating func dropMessagesBetweenGroups(trace: inout Trace) {
        guard let group = groups else { return }
        network.removeAll(onLinks: { group[$0.index] != group[$1.index] }) { trace.record(.dropped($0, .partition)) }
    }

    /// Full connectivity again: no partition and no cut link (`heal`). Nothing lost comes back.
    public mutating func heal() {
        if let groups { healedGroups.value = groups }
        groups = nil
        cuts.removeAll()
    }
}
