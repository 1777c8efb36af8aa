import RaftCore

/// Carrying out a step of a server that runs a user's program.
extension Cluster {
    /// `apply`'s branch for a program's servers: an event becomes the program's
    /// step here, out of line. Built in `apply`, the step had it copy every event
    /// (65 bytes) before it knew which path it took, raftsh's own servers' path
    /// included (callgrind: about four instructions an event).
    @inline(never)
    mutating func runProgram(_ event: consuming Event, on id: ServerID, trace: inout Trace) throws(ClusterError) {
        guard case .program(let program) = implementation else { preconditionFailure("runsProgram is set only for a program") }
        trace.refusal = try run(program, .event(event), on: id, into: &trace.output)
    }

    /// The same for a message: built in `apply`, its event had `apply` copy every
    /// envelope first (callgrind).
    @inline(never)
    mutating func runProgram(_ envelope: consuming Envelope, trace: inout Trace) throws(ClusterError) {
        let receiver = envelope.to
        try runProgram(.receive(envelope), on: receiver, trace: &trace)
    }

    /// `restart`'s branch for a program's servers, out of line as `runProgram`
    /// is: `restart` asks the flag and no longer matches `implementation` (about
    /// three instructions a restart of raftsh's own servers, callgrind, with
    /// link-time optimization). The program is handed only what Raft persists
    /// (node protocol, section 5). Returns the lowest index at which the log
    /// changed, if any.
    @inline(never)
    mutating func restartProgram(_ id: ServerID) throws(ClusterError) -> Int? {
        guard case .program(let program) = implementation else { preconditionFailure("runsProgram is set only for a program") }
        let server = servers[id.index]
        servers[id.index] = Server(
            id: id, clusterSize: size, configuration: configuration, currentTerm: server.currentTerm,
            votedFor: server.votedFor, log: server.log, role: .follower, commitIndex: 0
        )
        programStates[id.index] = ProgramState()
        var output = Output()
        try run(program, .restart, on: id, into: &output)
        return output.logChangedFrom
    }

    /// Asks the program for server `id`'s step and takes its answer as the
    /// server's new state. The program's answer is all it says; the harness adds
    /// what the node protocol (section 3) leaves to it: the election timer
    /// restarts after every timeout and when a LEADER stops being one, and the
    /// safety checker is told from which index the log changed.
    /// Returns why the program turned a client request away, if it said.
    /// Never inlined: inside `apply` its code would crowd the path raftsh's own
    /// servers take (registers spilled for a branch they never enter).
    @discardableResult @inline(never)
    mutating func run(_ program: any ServerProgram, _ step: ProgramStep, on id: ServerID, into output: inout Output) throws(ClusterError) -> String? {
        var state = ProgramServer(server: servers[id.index], state: programStates[id.index])
        var context = ProgramContext(names: names, configuration: configuration)
        // Lent to the step and taken back, so that numbering new fields copies no table.
        swap(&context.ownFields, &ownFieldsTable)
        defer { swap(&context.ownFields, &ownFieldsTable) }
        do {
            try program.step(step, of: &state, in: &context, into: &output)
        } catch {
            throw .program(server: name(id), error)
        }
        let wasLeader = servers[id.index].role.kind == .leader
        if step == .event(.electionTimeout) || (wasLeader && state.server.role.kind != .leader) {
            output.resetsElectionTimer = true
        }
        if let from = Self.firstDifference(servers[id.index].log, state.server.log) {
            output.logChanged(from: from)
        }
        servers[id.index] = state.server
        programStates[id.index] = state.state
        return context.refusal
    }

    /// The lowest index at which two logs differ (an entry changed, added or removed).
    /// Most steps keep the log or add to its end: the new log then begins with
    /// the old one's entries in the same storage, which compares in one check
    /// whatever the log's length; other changes are compared entry by entry.
    static func firstDifference(_ old: Log, _ new: Log) -> Int? {
        if new.lastIndex >= old.lastIndex {
            var prefix = new
            prefix.truncate(from: old.lastIndex + 1)
            if prefix == old { return new.lastIndex > old.lastIndex ? old.lastIndex + 1 : nil }
        }
        let common = min(old.lastIndex, new.lastIndex)
        var index = 1
        while index <= common, old[index] == new[index] { index += 1 }
        return index <= max(old.lastIndex, new.lastIndex) ? index : nil
    }
}
