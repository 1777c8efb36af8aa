import RaftCore

/// Moving messages: delivering them in send order, or dropping them.
extension Cluster {
    /// Delivers one message by its sequence number (any message, not only the oldest).
    public mutating func deliver(sequence: Int, trace: inout Trace) throws(ClusterError) {
        guard let envelope = takeForDelivery(sequence: sequence, trace: &trace) else { return }
        try apply(envelope, trace: &trace)
    }

    /// `deliver(sequence:trace:)` in a cluster of raftsh's own servers, which
    /// cannot fail: random schedules deliver this way when no program runs the
    /// servers. Throwing nothing, it spares each delivery the checks for an
    /// error, here and in the loop that calls it, and takes `applyToOwnServer`
    /// inline: with link-time optimization the simulate benchmark went from
    /// 764.8 to 743.6 instructions an event, and 814.3 to 798.0 without
    /// (callgrind; 1.1 of those for the precondition, which keeps a misuse
    /// from running raftsh's servers in a program's place).
    public mutating func deliverToOwnServer(sequence: Int, trace: inout Trace) {
        precondition(!runsProgram, "a program's servers take their messages through deliver(sequence:trace:)")
        guard let envelope = takeForDelivery(sequence: sequence, trace: &trace) else { return }
        applyToOwnServer(envelope, trace: &trace)
    }

    /// Takes a message off the wire to deliver it, if it is in flight.
    @inline(__always)
    private mutating func takeForDelivery(sequence: Int, trace: inout Trace) -> Envelope? {
        guard network.contains(sequence: sequence) else { return nil }
        trace.record(.delivered(network[sequence]!))
        let envelope = network.remove(inFlight: sequence)
        deliveries += 1
        return envelope
    }

    /// Delivers the `count` oldest messages from `from` to `to` (all of them when nil).
    /// Returns how many were delivered.
    @discardableResult
    public mutating func deliver(from: ServerID, to: ServerID, count: Int?, trace: inout Trace) throws(ClusterError) -> Int {
        let wanted = try messagesOnLink(from: from, to: to, count: count)
        for _ in 0..<wanted {
            guard let message = network.oldest(from: from, to: to) else { break }
            try deliver(sequence: message.sequence, trace: &trace)
        }
        return wanted
    }

    /// Delivers the messages in flight now that match, in send order; replies
    /// they cause stay in flight. Returns how many were delivered.
    @discardableResult
    public mutating func deliverAll(where matches: (InFlightMessage) -> Bool = { _ in true }, trace: inout Trace) throws(ClusterError) -> Int {
        let chosen = network.messages.filter(matches).map(\.sequence)
        var delivered = 0
        for sequence in chosen where network[sequence] != nil {
            try deliver(sequence: sequence, trace: &trace)
            delivered += 1
        }
        return delivered
    }

    /// Delivers in send order, replies included, until nothing is in flight.
    /// `shouldStop` is asked between two deliveries; when it says yes, settle
    /// returns early, leaving the cluster as it is between those two events.
    /// Returns how many were delivered.
    @discardableResult
    public mutating func settle(
        maxDeliveries: Int, trace: inout Trace, shouldStop: () -> Bool = { false }
    ) throws(ClusterError) -> Int {
        var delivered = 0
        while let sequence = network.oldestSequence {
            if shouldStop() { break }
            guard delivered < maxDeliveries else {
                throw .settleBoundReached(deliveries: delivered, inFlight: network.count)
            }
            try deliver(sequence: sequence, trace: &trace)
            delivered += 1
        }
        return delivered
    }

    /// Discards the `count` oldest messages from `from` to `to` (all when nil).
    @discardableResult
    public mutating func drop(from: ServerID, to: ServerID, count: Int?, trace: inout Trace) throws(ClusterError) -> Int {
        let wanted = try messagesOnLink(from: from, to: to, count: count)
        for _ in 0..<wanted {
            guard let message = network.oldest(from: from, to: to) else { break }
            network.remove(sequence: message.sequence)
            trace.record(.dropped(message.envelope, .dropped))
        }
        return wanted
    }

    /// What the `nth` form of `deliver`, `drop` and `duplicate` picks: the message
    /// `position` places after the oldest on the link (0 is the oldest).
    public func message(from: ServerID, to: ServerID, position: Int) throws(ClusterError) -> InFlightMessage {
        network[try sequence(from: from, to: to, position: position)]!
    }

    /// The sequence number of what `message(from:to:position:)` picks, without copying the message.
    public func sequence(from: ServerID, to: ServerID, position: Int) throws(ClusterError) -> Int {
        let inFlight = network.count(from: from, to: to)
        guard inFlight > 0 else { throw .noMessage(from: name(from), to: name(to)) }
        guard let sequence = network.sequence(from: from, to: to, position: position) else {
            throw .notEnoughMessages(from: name(from), to: name(to), inFlight: inFlight, wanted: position + 1)
        }
        return sequence
    }

    /// Discards one message.
    public mutating func drop(sequence: Int, trace: inout Trace) {
        guard network.contains(sequence: sequence) else { return }
        let envelope = network.remove(inFlight: sequence)
        trace.record(.dropped(envelope, .dropped))
    }

    /// Puts a copy of a message in flight, as a network that duplicates would.
    public mutating func duplicate(sequence: Int, trace: inout Trace) {
        guard let message = network[sequence] else { return }
        trace.record(.duplicated(message.envelope))
        send(message.envelope, trace: &trace)
    }

    /// Discards the messages in flight that match. Returns how many.
    @discardableResult
    public mutating func dropAll(where matches: (InFlightMessage) -> Bool = { _ in true }, trace: inout Trace) -> Int {
        let removed = network.removeAll(where: matches)
        for message in removed {
            trace.record(.dropped(message.envelope, .dropped))
        }
        return removed.count
    }

    private func messagesOnLink(from: ServerID, to: ServerID, count: Int?) throws(ClusterError) -> Int {
        let inFlight = network.count(from: from, to: to)
        guard inFlight > 0 else { throw .noMessage(from: name(from), to: name(to)) }
        guard let count else { return inFlight }
        guard count <= inFlight else {
            throw .notEnoughMessages(from: name(from), to: name(to), inFlight: inFlight, wanted: count)
        }
        return count
    }
}
