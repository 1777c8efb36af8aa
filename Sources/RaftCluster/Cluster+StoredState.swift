import RaftCore

/// Reads a cluster's stored state: every server's (`StateVisitor`), and the
/// parts that are the cluster's, each announced before its fields are visited.
public protocol ClusterStateVisitor: StateVisitor {
    /// Server `id`'s part begins: whether it is up, then its stored state.
    mutating func beginServer(_ id: ServerID, isUp: Bool)
    /// The messages in flight follow, `count` of them.
    mutating func beginMessages(count: Int)
    /// One message in flight begins; its fields follow (`Message.visitFields`).
    mutating func beginMessage(from: ServerID, to: ServerID)
    /// The safety history: the leader of each term that had one, `count` of them,
    /// in no particular order.
    mutating func beginLeaders(count: Int)
    mutating func visit(leader: ServerID, ofTerm term: Int)
    /// The entry committed at each index, `count` of them in index order.
    mutating func beginCommitted(count: Int)
    /// One committed entry, the term of the server that first committed it, and
    /// that server (which only reports name; it tells no two histories apart).
    mutating func visit(committed entry: LogEntry, inTerm term: Int, by server: ServerID)
    /// The links cut one way follow, `count` of them, by sender then receiver.
    mutating func beginCuts(count: Int)
    mutating func visit(cutFrom from: ServerID, to: ServerID)
}

extension Cluster {
    /// Every part of the state that tells two moments of a search apart, once
    /// each: every server (up or not, then its stored state), the messages in
    /// flight in send order, the safety history (leaders per term, committed
    /// entries), since a future violation can depend on it, and the cut links
    /// (`explore --cuts` cuts and heals them).
    ///
    /// Not visited, because a search never changes them: names, configuration,
    /// time, timers, due ticks, partitions and statistics.
    ///
    /// Under a user's program, each server's part goes on with what the
    /// program keeps besides (`ProgramState`), and each message's with the
    /// fields the program added to it.
    @inlinable
    public func visitStoredState(_ visitor: inout some ClusterStateVisitor) {
        for index in servers.indices {
            visitStoredState(ofServer: ServerID(index), &visitor)
        }
        visitor.beginMessages(count: network.count)
        network.forEachInFlight { message in
            visitStoredState(of: message, &visitor)
        }
        visitStoredHistory(&visitor)
    }

    /// Server `id`'s part of `visitStoredState`: whether it is up, its stored
    /// state, and what a program keeps of it besides. A search that knows which
    /// server a step changed visits that one alone (`FingerprintScratch`).
    @inlinable
    public func visitStoredState(ofServer id: ServerID, _ visitor: inout some ClusterStateVisitor) {
        visitor.beginServer(id, isUp: isUp[id.index])
        servers[id.index].visitStoredState(&visitor)
        if !programStates.isEmpty { programStates[id.index].visitStoredState(&visitor) }
    }

    /// One message in flight's part of `visitStoredState`: its link, its fields,
    /// and the fields a program added to it.
    @inlinable
    public func visitStoredState(of message: InFlightMessage, _ visitor: inout some ClusterStateVisitor) {
        visitor.beginMessage(from: message.from, to: message.to)
        message.message.visitFields(&visitor)
        if !programStates.isEmpty { visitor.visit(ownFields: ownFieldsTable[message.envelope.ownFields] ?? OwnFields()) }
    }

    /// The last parts of `visitStoredState`, after the messages: the safety
    /// history (leaders per term, committed entries) and the cut links.
    @inlinable
    public func visitStoredHistory(_ visitor: inout some ClusterStateVisitor) {
        visitor.beginLeaders(count: safety.leaders.count)
        for (term, leader) in safety.leaders {
            visitor.visit(leader: leader, ofTerm: term)
        }
        visitor.beginCommitted(count: safety.committed.count)
        for committed in safety.committed {
            visitor.visit(committed: committed.entry, inTerm: committed.committedInTerm, by: committed.committedBy)
        }
        visitor.beginCuts(count: cuts.count)
        if !cuts.isEmpty {
            for link in cuts.links { visitor.visit(cutFrom: link.from, to: link.to) }
        }
    }

    /// Replaces what `visitStoredState` visits by a state stored earlier, for a
    /// search restoring it, asking for the parts in the order they are visited:
    /// `server(id)` gives each server and whether it is up (nil: both stay as
    /// they are, for a search that restored that very server last time), `inFlight(send)` sends
    /// the messages in flight in send order (due at the current tick),
    /// `safety()` gives the history and `cutLinks()` the links cut. Nothing is
    /// checked: the state comes from a cluster that had it.
    public mutating func restoreStoredState(
        server: (ServerID) -> (server: Server, isUp: Bool)?,
        program: (ServerID) -> ProgramState,
        inFlight: (_ send: (Envelope, OwnFields?) -> Void) -> Void,
        safety history: () -> SafetyChecker,
        cutLinks: () -> [(from: ServerID, to: ServerID)]
    ) {
        for index in servers.indices {
            if let restored = server(ServerID(index)) { (servers[index], isUp[index]) = restored }
            if !programStates.isEmpty { programStates[index] = program(ServerID(index)) }
        }
        upCount = isUp.count { $0 }
        liveLeaderCount = servers.indices.count { isLiveLeader(ServerID($0)) }
        network.removeAll()
        let now = self.now
        inFlight { envelope, own in
            var envelope = envelope
            envelope.ownFields = ownFieldsTable.key(for: own)
            network.send(envelope, deliverAt: now)
        }
        safety = history()
        cuts.removeAll()
        for link in cutLinks() { _ = cuts.insert(from: link.from, to: link.to) }
    }
}

extension Cluster {
    /// Makes this cluster's state that of `base` again, after steps from `base`
    /// that changed at most the servers in `changed`: those servers, whether
    /// each is up, the messages in flight (into this network's own ring), the
    /// safety history, the partition, the cut links and the counts kept with
    /// them. Every other part of the two must be the same already, as it is for
    /// a copy of `base` stepped by events of raftsh's own servers.
    ///
    /// `stepped`: this cluster was brought back to `base` before and has only
    /// been stepped since, so that only the messages sent and taken off since
    /// are undone (`Network.copyInFlight(of:stepped:)`).
    ///
    /// A search steps each successor of the state it expands in one scratch
    /// cluster brought back this way: a copy of the whole cluster per successor
    /// retained and released every buffer it holds, and the step's first change
    /// to a server copied the whole servers array.
    public mutating func restoreSearchedState(of base: Cluster, changed: ServerSet, stepped: Bool) {
        precondition(!runsProgram && keepsTime == base.keepsTime && size == base.size, "a scratch cluster steps copies of one cluster of raftsh's own servers")
        for index in servers.indices {
            if changed.contains(ServerID(index)) { servers[index] = base.servers[index] }
            if isUp[index] != base.isUp[index] { isUp[index] = base.isUp[index] }
        }
        upCount = base.upCount
        liveLeaderCount = base.liveLeaderCount
        electionsStarted = base.electionsStarted
        deliveries = base.deliveries
        network.copyInFlight(of: base.network, stepped: stepped)
        safety = base.safety
        // Copied only when there is something to copy: a search without
        // partitions or cuts would retain and release them for every successor.
        if groups != nil || base.groups != nil { groups = base.groups }
        if !cuts.isEmpty || !base.cuts.isEmpty { cuts = base.cuts }
        random = base.random
        now = base.now
        // A cluster that keeps no time neither keeps nor reads its timers.
        if keepsTime {
            electionDeadline = base.electionDeadline
            heartbeatDue = base.heartbeatDue
        }
    }
}

extension SafetyChecker {
    /// A history stored by a search (`Cluster.visitStoredState`), rebuilt one
    /// fact at a time: a search stores no state with a violation.
    public mutating func restoreLeader(_ leader: ServerID, ofTerm term: Int) {
        leaders[term] = leader
    }

    public mutating func restoreCommitted(_ entry: LogEntry, inTerm term: Int, by server: ServerID) {
        committed.append(CommittedEntry(entry: entry, committedInTerm: term, committedBy: server))
    }

    /// Room for `count` leaders at once: a search restores a history for every
    /// state it expands, and a table grown one leader at a time is built twice.
    public mutating func reserveLeaders(_ count: Int) {
        leaders.reserveCapacity(count)
    }

    public mutating func reserveCommitted(_ count: Int) {
        committed.reserveCapacity(count)
    }
}
