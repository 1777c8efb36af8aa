import RaftCore

/// Logical time (raftscript.md section 6): timers and latency driven by a seeded generator.
extension Cluster {
    /// Keeps a server's timers in step with what it just did: a fresh election
    /// timeout when its output asks for one (`Output.resetsElectionTimer`), none
    /// while it is LEADER; a heartbeat schedule when it becomes LEADER. Only while
    /// the cluster `keepsTime`. A LEADER's election timer runs with CheckQuorum on
    /// or a transfer pending (raftscript.md section 10).
    mutating func updateTimers(_ id: ServerID, wasLeader: Bool, resetsElectionTimer: Bool) {
        // Timers already stopped are left alone: this runs after every event, and
        // writing to an array costs a uniqueness check that reading does not.
        let isLeader = servers[id.index].role.kind == .leader
        if isLeader {
            if leaderRunsElectionTimer(id) {
                // It restarts when the leader wins, and starts when it begins to run.
                if !wasLeader || resetsElectionTimer || electionDeadline[id.index] == nil { resetElectionTimer(id) }
            } else if electionDeadline[id.index] != nil {
                electionDeadline[id.index] = nil
            }
            if !wasLeader { heartbeatDue[id.index] = now + timing.heartbeatInterval }
        } else {
            if heartbeatDue[id.index] != nil { heartbeatDue[id.index] = nil }
            if resetsElectionTimer { resetElectionTimer(id) }
        }
    }

    /// Whether `id`'s election timer runs: every role's but a LEADER's, whose runs
    /// only in the cases of section 10.
    func runsElectionTimer(_ id: ServerID) -> Bool {
        servers[id.index].role.kind != .leader || leaderRunsElectionTimer(id)
    }

    /// A LEADER's election timer restarts when a `transfer` starts a new transfer
    /// (section 10), whoever its code is, as its heartbeats are scheduled here.
    mutating func restartLeaderTimer(_ id: ServerID) {
        if servers[id.index].role.kind == .leader, leaderRunsElectionTimer(id) { resetElectionTimer(id) }
    }

    mutating func resetElectionTimer(_ id: ServerID) {
        guard keepsTime else { return }
        electionDeadline[id.index] = now + random.draw(timing.electionTimeout)
    }

    /// Advances time by one tick: the messages due now are delivered in send order
    /// (each lost with probability `timing.loss`), then expired timers fire in
    /// cluster order.
    public mutating func tick(trace: inout Trace) throws(ClusterError) {
        if !keepsTime { keepsTime = true }
        // Timers not running yet (a fresh cluster) start from the moment time begins to move.
        for index in servers.indices where isUp[index] && electionDeadline[index] == nil && runsElectionTimer(ServerID(index)) {
            resetElectionTimer(ServerID(index))
        }
        now += 1
        trace.record(.tick(now))
        for sequence in network.due(at: now) {
            guard network[sequence] != nil else { continue }
            if random.chance(timing.loss), let lost = network.remove(sequence: sequence) {
                trace.record(.dropped(lost.envelope, .lost))
            } else {
                try deliver(sequence: sequence, trace: &trace)
            }
        }
        for index in servers.indices where isUp[index] {
            let id = ServerID(index)
            if servers[index].role.kind == .leader {
                // Its election timer first: a leader CheckQuorum demotes sends no heartbeat.
                if let deadline = electionDeadline[index], deadline <= now, leaderRunsElectionTimer(id) {
                    try apply(.electionTimeout, to: id, trace: &trace)
                    if servers[index].role.kind != .leader { continue }
                }
                if let due = heartbeatDue[index], due <= now {
                    heartbeatDue[index] = now + timing.heartbeatInterval
                    try apply(.heartbeatTimeout, to: id, trace: &trace)
                }
            } else if let deadline = electionDeadline[index], deadline <= now {
                try fireElectionTimer(id, trace: &trace)
            }
        }
    }

    /// A live leader backed by a majority of the cluster's servers that are up with
    /// its term (the first in cluster order if several are): the end condition of
    /// `tick until leader`.
    public var establishedLeader: ServerID? {
        let majority = size / 2 + 1
        return liveLeaders.first { id in
            let term = servers[id.index].currentTerm
            return servers.indices.count(where: { isUp[$0] && servers[$0].currentTerm == term }) >= majority
        }
    }

    /// Ticks until there is an `establishedLeader` (no tick if it already holds). Returns the ticks taken.
    @discardableResult
    public mutating func tickUntilLeader(maxTicks: Int, trace: inout Trace, shouldStop: () -> Bool = { false }) throws(ClusterError) -> Int {
        var ticks = 0
        while establishedLeader == nil {
            if shouldStop() { return ticks }
            guard ticks < maxTicks else { throw .noLeaderWithin(ticks: maxTicks) }
            try tick(trace: &trace)
            ticks += 1
        }
        return ticks
    }

    /// Restarts the generator from `seed`; the cluster's future under `tick` depends only on it.
    public mutating func reseed(_ seed: UInt64) {
        timing.seed = seed
        random = SeededGenerator(seed: seed)
    }

    public mutating func setTiming(electionTimeout: ClosedRange<Int>? = nil, heartbeatInterval: Int? = nil, latency: ClosedRange<Int>? = nil, loss: Double? = nil) {
        if let electionTimeout { timing.electionTimeout = electionTimeout }
        if let heartbeatInterval { timing.heartbeatInterval = heartbeatInterval }
        if let latency { timing.latency = latency }
        if let loss { timing.loss = loss }
    }
}
