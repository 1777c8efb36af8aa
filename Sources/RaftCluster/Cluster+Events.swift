import RaftCore

/// Timers, client requests, crashes and restarts.
extension Cluster {
    /// Fires the election timer of `id`; a LEADER's runs only with CheckQuorum
    /// on or a transfer pending (raftscript.md section 10).
    public mutating func timeout(_ id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        guard servers[id.index].role.kind != .leader || leaderRunsElectionTimer(id) else { throw .isLeader(name(id)) }
        try fireElectionTimer(id, trace: &trace)
    }

    /// Leader `id` hands leadership to `target` (thesis 3.10).
    public mutating func transfer(_ id: ServerID, to target: ServerID, trace: inout Trace) throws(ClusterError) {
        if let program = implementation.program, !program.features.contains("transfer") {
            throw .missingFeature("transfer", program: program.description)
        }
        guard isUp[id.index] else { throw .serverDown(name(id)) }
        guard servers[id.index].role.kind == .leader else { throw .notLeader(name(id)) }
        guard target != id else { throw .transferToItself(name(id)) }
        let pending = transferTarget(of: id)
        try apply(.transferLeadership(to: target), to: id, trace: &trace)
        // A new transfer restarts the leader's election timer: when it fires, the transfer ends.
        if transferTarget(of: id) != pending, transferTarget(of: id) != nil { restartLeaderTimer(id) }
    }

    /// The server LEADER `id` is handing leadership to, if a transfer is pending:
    /// what raftsh's own servers keep, or what a program reports (`transferTo`).
    public func transferTarget(of id: ServerID) -> ServerID? {
        if runsProgram { return programStates[id.index].transferTo }
        guard case .leader(let leadership) = servers[id.index].role else { return nil }
        return leadership.transferTarget
    }

    /// Whether LEADER `id`'s election timer runs: with CheckQuorum on, or while it
    /// hands leadership over (raftscript.md section 10).
    public func leaderRunsElectionTimer(_ id: ServerID) -> Bool {
        configuration.checkQuorum || transferTarget(of: id) != nil
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
        /// The leader is handing leadership to this server and takes no request meanwhile.
        case transferPending(to: ServerID)
        /// A user's program turned the request away although the server is LEADER, saying why.
        case refused(String?)
    }

    /// A client request to `id`; only a live leader takes it, anyone else leaves the cluster unchanged.
    public mutating func submit(_ value: String, to id: ServerID, trace: inout Trace) throws(ClusterError) -> SubmitOutcome {
        guard isUp[id.index] else { return .serverDown }
        guard servers[id.index].role.kind == .leader else { return .notLeader }
        let length = servers[id.index].log.lastIndex
        try apply(.clientRequest(value), to: id, trace: &trace)
        guard servers[id.index].log.lastIndex > length else {
            if let target = transferTarget(of: id), trace.refusal == nil { return .transferPending(to: target) }
            return .refused(trace.refusal)
        }
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
        guard !runsProgram else { return try restartRunningProgram(id, before: before) }
        // Raft's own server keeps its persistent state and comes back a FOLLOWER:
        // its log is as it was and it is no LEADER to count.
        servers[id.index].restart()
        isUp[id.index] = true
        upCount += 1
        resetElectionTimer(id)
        safety.observe(id, before: before, logChangedFrom: nil, servers: servers, isUp: isUp)
    }

    /// `restart` for a user's program, whose answer may change its log or its
    /// role. Never inlined, and kept apart from raftsh's own servers' path, which
    /// then asks neither (with link-time optimization, one path for both cost
    /// the simulate benchmark about one instruction an event, callgrind).
    @inline(never)
    private mutating func restartRunningProgram(_ id: ServerID, before: SafetyChecker.Before) throws(ClusterError) {
        let logChangedFrom = try restartProgram(id)
        isUp[id.index] = true
        upCount += 1
        // A program may answer a restart with another role than FOLLOWER; the count follows what it said.
        if servers[id.index].role.kind == .leader { liveLeaderCount += 1 }
        resetElectionTimer(id)
        safety.observe(id, before: before, logChangedFrom: logChangedFrom, servers: servers, isUp: isUp)
    }
}
