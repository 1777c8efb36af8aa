import RaftCore

/// Timers, client requests, crashes and restarts.
extension Cluster {
    /// Fires the election timer of `id`.
    public mutating func timeout(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        guard servers[id.index].role.kind != .leader else { throw .isLeader(name(id)) }
        try fireElectionTimer(id, trace: &trace)
    }

    /// Fires the heartbeat timer of leader `id`.
    public mutating func heartbeat(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        guard servers[id.index].role.kind == .leader else { throw .notLeader(name(id)) }
        try apply(.heartbeatTimeout, to: id, trace: &trace)
    }

    /// What became of a client request.
    public enum SubmitOutcome: Hashable, Sendable {
        case appended(index: Int, term: Int)
        case notLeader
        case serverDown
        /// A user's program turned the request away although the server is LEADER, saying why.
        case refused(String?)
    }

    /// A client request to `id`; only a live leader takes it, anyone else leaves the cluster unchanged.
    public mutating func submit(_ value: String, to id: ServerID, trace: inout Trace) throws(ClusterError) -> SubmitOutcome {
        guard isUp[id.index] else { return .serverDown }
        guard servers[id.index].role.kind == .leader else { return .notLeader }
        let length = servers[id.index].log.lastIndex
        try apply(.clientRequest(value), to: id, trace: &trace)
        guard servers[id.index].log.lastIndex > length else { return .refused(trace.refusal) }
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
        let before = SafetyChecker.Before(servers[id.index])
        var logChangedFrom: Int?
        switch implementation {
        case .builtIn:
            servers[id.index].restart()
        case .program(let program):
            // The program is handed only what Raft persists (node protocol, section 5).
            let server = servers[id.index]
            servers[id.index] = Server(
                id: id, clusterSize: size, configuration: configuration, currentTerm: server.currentTerm,
                votedFor: server.votedFor, log: server.log, role: .follower, commitIndex: 0
            )
            programStates[id.index] = ProgramState()
            var output = Output()
            try run(program, .restart, on: id, into: &output)
            logChangedFrom = output.logChangedFrom
        }
        isUp[id.index] = true
        upCount += 1
        // A program may answer a restart with another role than FOLLOWER; the count follows what it said.
        if servers[id.index].role.kind == .leader { liveLeaderCount += 1 }
        resetElectionTimer(id)
        safety.observe(id, before: before, logChangedFrom: logChangedFrom, servers: servers, isUp: isUp)
    }
}
