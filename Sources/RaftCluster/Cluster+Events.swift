import RaftCore

/// Timers, client requests, crashes and restarts.
extension Cluster {
    /// Fires the election timer of `id`.
    public mutating func timeout(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        guard servers[id.index].role.kind != .leader else { throw .isLeader(name(id)) }
        apply(.electionTimeout, to: id, trace: &trace)
    }

    /// Fires the heartbeat timer of leader `id`.
    public mutating func heartbeat(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        guard servers[id.index].role.kind == .leader else { throw .notLeader(name(id)) }
        apply(.heartbeatTimeout, to: id, trace: &trace)
    }

    /// What became of a client request.
    public enum SubmitOutcome: Hashable, Sendable {
        case appended(index: Int, term: Int)
        case notLeader
        case serverDown
    }

    /// A client request to `id`; only a live leader takes it, anyone else leaves the cluster unchanged.
    public mutating func submit(_ value: String, to id: ServerID, trace: inout Trace) -> SubmitOutcome {
        guard isUp[id.index] else { return .serverDown }
        guard servers[id.index].role.kind == .leader else { return .notLeader }
        apply(.clientRequest(value), to: id, trace: &trace)
        return .appended(index: servers[id.index].log.lastIndex, term: servers[id.index].currentTerm)
    }

    /// `id` goes down: what was in flight to it is lost; what it sent stays in flight.
    public mutating func crash(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        isUp[id.index] = false
        upCount -= 1
        if servers[id.index].role.kind == .leader { liveLeaderCount -= 1 }
        // Written only when set: a cluster that keeps no time never sets them, and
        // each write checks the array for sharing.
        if electionDeadline[id.index] != nil { electionDeadline[id.index] = nil }
        if heartbeatDue[id.index] != nil { heartbeatDue[id.index] = nil }
        network.removeAll(onLinks: { $1 == id }) { trace.record(.dropped($0, .receiverDown)) }
    }

    /// `id` comes back as a FOLLOWER with its persistent state and a fresh election timer.
    public mutating func restart(_ id: ServerID) throws(ClusterError) {
        guard !isUp[id.index] else { throw .serverUp(name(id)) }
        isUp[id.index] = true
        upCount += 1
        let before = SafetyChecker.Before(servers[id.index])
        servers[id.index].restart()
        resetElectionTimer(id)
        safety.observe(id, before: before, logChangedFrom: nil, servers: servers, isUp: isUp)
    }
}
