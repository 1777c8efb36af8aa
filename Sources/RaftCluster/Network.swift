import RaftCore

/// The messages in flight, in global send order, each also threaded on a list
/// per link (`Network+Links.swift`) and a list per delivery tick
/// (`Network+DueTicks.swift`), unless `listsLinks` or `listsDueTicks` is off.
///
/// Every lookup the language needs — the oldest message overall, the oldest
/// from A to B, the ones due at a tick, one by its sequence number — and every
/// removal, even from the middle of a link, is O(1) (the `nth` forms walk their
/// link up to the position asked for), so delivering one message costs the same
/// with ten or a million in flight. Removal leaves a hole (`nil`) in the global
/// order that is trimmed once it reaches the front.
public struct Network: Sendable {
    /// A ring buffer of the remembered messages: the one with sequence number `s`
    /// sits in slot `s & (capacity - 1)` while `firstSequence <= s < nextSequence`.
    /// One buffer of plain slots rather than a queue of messages plus a queue of
    /// headers: sending, removing and relinking touch one buffer, check one
    /// reference for uniqueness, and reuse slots instead of allocating. The
    /// capacity is a power of two and doubles, in place, when every slot is taken
    /// (`Network+Ring.swift`).
    @usableFromInline var ring = Ring.empty
    var firstSequence: Int { ring.first }
    var nextSequence: Int { ring.next }
    /// `links[from][to]`, grown on demand: arrays rather than a hash table because
    /// every send and delivery looks its link up, and rows rather than one
    /// size × size array because a 1000-server cluster uses few of its links.
    var links: [[Link]] = []
    /// The ticks that have messages due, ascending. There are few at once (about as
    /// many as the latency range is wide), so a sorted array is cheaper than hashing.
    var due: [DueTick] = []

    /// Whether messages are also listed by delivery tick, for `due(at:)`. A network
    /// whose cluster never ticks (a random schedule, a search) turns the lists off
    /// and so does not keep them on every send and removal; turning them on again
    /// lists what is in flight, in send order.
    public var listsDueTicks = true {
        didSet {
            guard listsDueTicks != oldValue else { return }
            relistDueTicks()
        }
    }

    /// Whether messages are also listed by link, so that asking about a link
    /// (`count(from:to:)`, `oldest(from:to:)`, `sequence(from:to:position:)`,
    /// `position(ofSequence:)`) costs the position asked for. Off, those walk
    /// every message in flight instead, and sending and removing skip the lists: a
    /// random schedule, which picks messages by sequence number and asks about
    /// links only to record a failing run, turns them off. Turning them on again
    /// lists what is in flight, in send order.
    public var listsLinks = true {
        didSet {
            guard listsLinks != oldValue else { return }
            relistLinks()
        }
    }

    public internal(set) var count = 0

    public init() {}

    /// A remembered message and where its lists go; walking and relinking the
    /// lists reads the integers in place, never copying the message.
    struct Slot: Sendable {
        /// nil once the message left (a hole) until the front passes it.
        var envelope: Envelope?
        /// The link's ends, readable without copying the envelope out of its
        /// optional; 16 bits each as in the envelope, which fits them in the
        /// envelope's padding where two `ServerID`s took 16 bytes more a slot.
        let sender: Int16
        let receiver: Int16
        var deliverAt: Int
        var onLink: Offsets
        var inTick: Offsets

        var from: ServerID { ServerID(Int(sender)) }
        var to: ServerID { ServerID(Int(receiver)) }

        /// Whether the slot holds a message, without copying it.
        var isInFlight: Bool {
            if case .some = envelope { true } else { false }
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Takes every message off the wire at once, keeping the buffers: a search
    /// refills one network with each state it expands.
    public mutating func removeAll() {
        if isKnownUniquelyReferenced(&ring) {
            ring.removeAll()
        } else if ring.capacity > 0 {
            ring = Ring(capacity: ring.capacity)
        }
        for from in links.indices {
            for to in links[from].indices { links[from][to] = Link() }
        }
        due.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Every message in flight, oldest first.
    public var messages: [InFlightMessage] {
        var messages: [InFlightMessage] = []
        messages.reserveCapacity(count)
        forEachInFlight { messages.append($0) }
        return messages
    }

    /// Visits the messages in flight, oldest first, without collecting them in an
    /// array: exhaustive search looks at every message of every state it reaches.
    public func forEachInFlight(_ body: (InFlightMessage) -> Void) {
        for sequence in firstSequence..<nextSequence {
            if let message = self[sequence] { body(message) }
        }
    }

    /// Puts a message in flight; returns its sequence number.
    @discardableResult
    public mutating func send(_ envelope: consuming Envelope, deliverAt: Int) -> Int {
        makeRingUnique()
        if nextSequence - firstSequence == ring.capacity { ring.grow() }
        let sequence = nextSequence
        ring.next += 1
        let sender = envelope.from, receiver = envelope.to
        let onLink = listsLinks ? Offsets(previous: listOnLink(sequence, from: sender, to: receiver), of: sequence) : .none
        let inTick = listsDueTicks ? Offsets(previous: listDue(sequence, at: deliverAt), of: sequence) : .none
        // The slot past the newest is raw memory, initialized rather than assigned.
        slot(sequence).initialize(to: Slot(
            envelope: envelope, sender: Int16(truncatingIfNeeded: sender.index), receiver: Int16(truncatingIfNeeded: receiver.index), deliverAt: deliverAt,
            onLink: onLink, inTick: inTick
        ))
        count += 1
        return sequence
    }

    public subscript(sequence: Int) -> InFlightMessage? {
        guard sequence >= firstSequence, sequence < nextSequence else { return nil }
        let place = slot(sequence)
        guard let envelope = place.pointee.envelope else { return nil }
        return InFlightMessage(sequence: sequence, envelope: envelope, deliverAt: place.pointee.deliverAt)
    }

    /// The oldest message in flight.
    public var oldest: InFlightMessage? {
        self[firstSequence]
    }

    /// The sequence number of the oldest message in flight, without copying it.
    public var oldestSequence: Int? {
        isEmpty ? nil : firstSequence
    }

    /// The sequence number of a message in flight picked at random, nil when none
    /// is: up to `tries` uniformly drawn slots of those remembered, the first that
    /// is not a hole (a message removed but not yet trimmed), else the oldest.
    /// Random schedules pick one per delivery, so it reads no message, only slots.
    /// Inlined, handing the pick to the ring alone (`Ring.randomSequence`): a
    /// random schedule's loop holds its cluster's fields in registers and on
    /// its stack apart, and called on the whole network it first copied the
    /// network into one place (9 instructions a delivery, callgrind, with
    /// link-time optimization).
    @inlinable
    public func randomSequence(using random: inout SeededGenerator, tries: Int) -> Int? {
        guard !isEmpty else { return nil }
        return ring.randomSequence(using: &random, tries: tries)
    }

    /// Whether the message with this sequence number is in flight.
    public func contains(sequence: Int) -> Bool {
        sequence >= firstSequence && sequence < nextSequence && slot(sequence).pointee.isInFlight
    }

    /// Takes one message off the wire.
    @discardableResult
    public mutating func remove(sequence: Int) -> InFlightMessage? {
        guard contains(sequence: sequence) else { return nil }
        let deliverAt = slot(sequence).pointee.deliverAt
        return InFlightMessage(sequence: sequence, envelope: remove(inFlight: sequence), deliverAt: deliverAt)
    }

    /// Takes off the wire a message that `contains(sequence:)`, returning its
    /// envelope. Delivery uses this rather than `remove(sequence:)`: optionals and
    /// tuples holding a message are destroyed through the runtime's generic value
    /// witnesses, and a whole message would be copied to hand its envelope on.
    mutating func remove(inFlight sequence: Int) -> Envelope {
        makeRingUnique()
        let place = slot(sequence)
        let envelope = place.pointee.envelope.take()!
        count -= 1
        if listsLinks {
            let onLink = place.pointee.onLink.neighbours(of: sequence)
            if onLink.previous != -1 { slot(onLink.previous).pointee.onLink.setNext(onLink.next, of: onLink.previous) }
            if onLink.next != -1 { slot(onLink.next).pointee.onLink.setPrevious(onLink.previous, of: onLink.next) }
            links[envelope.from.index][envelope.to.index].remove(onLink)
        }
        if listsDueTicks {
            let inTick = place.pointee.inTick.neighbours(of: sequence)
            if inTick.previous != -1 { slot(inTick.previous).pointee.inTick.setNext(inTick.next, of: inTick.previous) }
            if inTick.next != -1 { slot(inTick.next).pointee.inTick.setPrevious(inTick.previous, of: inTick.next) }
            if inTick.isAtAnEnd {
                let tick = dueIndex(place.pointee.deliverAt)
                due[tick].chain.remove(inTick)
                if due[tick].chain.first == -1 { due.remove(at: tick) }
            }
        }
        // Holes hold no reference: leaving them behind needs no deinitializing.
        while ring.first < ring.next, !slot(ring.first).pointee.isInFlight {
            ring.first += 1
        }
        return envelope
    }

    /// Takes every message that matches off the wire, returning them oldest first.
    @discardableResult
    public mutating func removeAll(where shouldRemove: (InFlightMessage) -> Bool) -> [InFlightMessage] {
        var removed: [InFlightMessage] = []
        for sequence in firstSequence..<nextSequence {
            if let message = self[sequence], shouldRemove(message) { removed.append(message) }
        }
        for message in removed {
            remove(sequence: message.sequence)
        }
        return removed
    }

    /// Takes every message whose link matches off the wire, handing each to
    /// `removed`, oldest first. It decides by sender and receiver alone, so the
    /// messages it keeps are not copied to be asked about, and it collects nothing:
    /// crashes and partitions call it, in random schedules often.
    public mutating func removeAll(
        onLinks matches: (_ from: ServerID, _ to: ServerID) -> Bool, removed: (consuming Envelope) -> Void
    ) {
        for sequence in firstSequence..<nextSequence {
            let place = slot(sequence)
            if place.pointee.isInFlight, matches(place.pointee.from, place.pointee.to) {
                removed(remove(inFlight: sequence))
            }
        }
    }

    /// Where the message with this sequence number sits in the ring. Written
    /// through only after `makeRingUnique()`.
    func slot(_ sequence: Int) -> UnsafeMutablePointer<Slot> {
        ring.base + (sequence & (ring.capacity - 1))
    }

    /// Gives this network a ring of its own before it writes to it, copying the
    /// one it shares with other copies of the network (an undo snapshot, a
    /// search's stored state).
    mutating func makeRingUnique() {
        if !isKnownUniquelyReferenced(&ring) { ring = ring.copy(capacity: ring.capacity) }
    }
}

/// Two networks are equal when the same messages are in flight in the same
/// order, due at the same ticks; sequence numbers only record how the run got there.
extension Network: Hashable {
    public static func == (lhs: Network, rhs: Network) -> Bool {
        lhs.count == rhs.count && lhs.messages.map(\.envelope) == rhs.messages.map(\.envelope)
            && lhs.messages.map(\.deliverAt) == rhs.messages.map(\.deliverAt)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for sequence in firstSequence..<nextSequence {
            if let message = self[sequence] {
                hasher.combine(message.envelope)
                hasher.combine(message.deliverAt)
            }
        }
    }
}
