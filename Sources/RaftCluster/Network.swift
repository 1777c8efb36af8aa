import DequeModule
import RaftCore

/// The messages in flight, in global send order, each also threaded on a list
/// per link and a list per delivery tick.
///
/// Every lookup the language needs — the oldest message overall, the oldest
/// from A to B, the ones due at a tick, one by its sequence number — and every
/// removal, even from the middle of a link, is O(1) (the `nth` forms walk their
/// link up to the position asked for), so delivering one message costs the same
/// with ten or a million in flight. Removal leaves a hole (`nil`) in the global
/// order that is trimmed once it reaches the front.
public struct Network: Sendable {
    /// `slots[i]` holds the message with sequence `firstSequence + i`, or nil once it left.
    private var slots: Deque<InFlightMessage?> = []
    /// `headers[i]` says where `slots[i]` goes and links it to its neighbours. Kept
    /// apart from the messages so that walking and relinking the lists reads plain
    /// integers, never copying a message and its entries.
    private var headers: Deque<Header> = []
    private var firstSequence = 0
    private var nextSequence = 0
    /// `links[from][to]`, grown on demand: arrays rather than a hash table because
    /// every send and delivery looks its link up.
    private var links: [[Link]] = []
    /// The ticks that have messages due, ascending. There are few at once (about as
    /// many as the latency range is wide), so a sorted array is cheaper than hashing.
    private var due: [DueTick] = []
    public private(set) var count = 0

    public init() {}

    private struct Header: Sendable {
        var from: ServerID
        var to: ServerID
        var onLink: Neighbours
        var inTick: Neighbours
        /// False once the message left: the same as its slot being nil, without reading the slot.
        var isInFlight = true
    }

    /// Sequence numbers of the previous and next message on a list (-1: none).
    private struct Neighbours: Sendable {
        var previous = -1
        var next = -1

        var isAtAnEnd: Bool { previous == -1 || next == -1 }
    }

    /// The two ends of a doubly linked list of sequence numbers (-1 when empty).
    private struct Chain: Sendable {
        var first = -1
        var last = -1

        /// Makes `sequence` the last; returns the one that was last before (-1 if none).
        mutating func append(_ sequence: Int) -> Int {
            let previous = last
            if first == -1 { first = sequence }
            last = sequence
            return previous
        }

        /// Moves the ends past a member leaving, given its neighbours.
        mutating func remove(_ neighbours: Neighbours) {
            if neighbours.previous == -1 { first = neighbours.next }
            if neighbours.next == -1 { last = neighbours.previous }
        }
    }

    private struct Link: Sendable {
        var chain = Chain()
        var count = 0
    }

    private struct DueTick: Sendable {
        var tick: Int
        var chain = Chain()
    }

    public var isEmpty: Bool { count == 0 }

    /// Every message in flight, oldest first.
    public var messages: [InFlightMessage] {
        slots.compactMap { $0 }
    }

    public func count(from: ServerID, to: ServerID) -> Int {
        link(from, to)?.count ?? 0
    }

    @discardableResult
    public mutating func send(_ envelope: Envelope, deliverAt: Int) -> InFlightMessage {
        let sequence = nextSequence
        let message = InFlightMessage(sequence: sequence, envelope: envelope, deliverAt: deliverAt)
        nextSequence += 1
        let from = envelope.from.index, to = envelope.to.index
        if links.count <= from { links.append(contentsOf: repeatElement([], count: from + 1 - links.count)) }
        if links[from].count <= to { links[from].append(contentsOf: repeatElement(Link(), count: to + 1 - links[from].count)) }
        let previousOnLink = links[from][to].chain.append(sequence)
        links[from][to].count += 1
        let tick = dueIndex(deliverAt)
        if tick == due.count || due[tick].tick != deliverAt { due.insert(DueTick(tick: deliverAt), at: tick) }
        let previousInTick = due[tick].chain.append(sequence)
        if previousOnLink != -1 { headers[previousOnLink - firstSequence].onLink.next = sequence }
        if previousInTick != -1 { headers[previousInTick - firstSequence].inTick.next = sequence }
        slots.append(message)
        headers.append(Header(
            from: envelope.from, to: envelope.to,
            onLink: Neighbours(previous: previousOnLink), inTick: Neighbours(previous: previousInTick)
        ))
        count += 1
        return message
    }

    public subscript(sequence: Int) -> InFlightMessage? {
        let offset = sequence - firstSequence
        guard offset >= 0, offset < slots.count else { return nil }
        return slots[offset]
    }

    /// The oldest message in flight.
    public var oldest: InFlightMessage? {
        slots.first ?? nil
    }

    /// The sequence number of the oldest message in flight, without copying it.
    public var oldestSequence: Int? {
        isEmpty ? nil : firstSequence
    }

    /// The oldest message in flight from `from` to `to`.
    public func oldest(from: ServerID, to: ServerID) -> InFlightMessage? {
        link(from, to).flatMap { self[$0.chain.first] }
    }

    /// The `position`-th oldest message (0 is the oldest) in flight from `from` to `to`.
    public func message(from: ServerID, to: ServerID, position: Int) -> InFlightMessage? {
        sequence(from: from, to: to, position: position).flatMap { self[$0] }
    }

    /// The sequence number of the `position`-th oldest message from `from` to `to`.
    /// Walks the link, so it costs the position, not the messages in flight elsewhere.
    public func sequence(from: ServerID, to: ServerID, position: Int) -> Int? {
        guard let link = link(from, to), position < link.count else { return nil }
        var sequence = link.chain.first
        for _ in 0..<position {
            sequence = headers[sequence - firstSequence].onLink.next
        }
        return sequence
    }

    /// The number of slots, holes included: `linkPosition(atSlot:)` takes indexes below it.
    public var slotCount: Int { slots.count }

    /// The link of the message in slot `index` (the index-th sent of those still
    /// remembered) and where it stands there (0 is the oldest), or nil for a hole.
    /// It reads no message, so it is what random schedules use to pick one.
    public func linkPosition(atSlot index: Int) -> (from: ServerID, to: ServerID, position: Int)? {
        guard index < headers.count, headers[index].isInFlight else { return nil }
        let header = headers[index]
        return (header.from, header.to, position(ofSequence: firstSequence + index, from: header.from, to: header.to))
    }

    /// Where `message` stands on its link (0 is the oldest).
    public func position(of message: InFlightMessage) -> Int {
        position(ofSequence: message.sequence, from: message.from, to: message.to)
    }

    private func position(ofSequence target: Int, from: ServerID, to: ServerID) -> Int {
        guard let link = link(from, to) else { return 0 }
        var position = 0
        var sequence = link.chain.first
        while sequence != -1, sequence != target {
            position += 1
            sequence = headers[sequence - firstSequence].onLink.next
        }
        return position
    }

    /// The sequence numbers of the messages due at `tick`, in send order.
    public func due(at tick: Int) -> [Int] {
        let index = dueIndex(tick)
        guard index < due.count, due[index].tick == tick else { return [] }
        var sequences: [Int] = []
        var sequence = due[index].chain.first
        while sequence != -1 {
            sequences.append(sequence)
            sequence = headers[sequence - firstSequence].inTick.next
        }
        return sequences
    }

    /// Takes one message off the wire.
    @discardableResult
    public mutating func remove(sequence: Int) -> InFlightMessage? {
        let offset = sequence - firstSequence
        guard offset >= 0, offset < slots.count, let message = slots[offset].take() else { return nil }
        let neighbours = headers[offset]
        headers[offset].isInFlight = false
        count -= 1
        relink(around: neighbours.onLink, onLink: true)
        links[message.from.index][message.to.index].chain.remove(neighbours.onLink)
        links[message.from.index][message.to.index].count -= 1
        relink(around: neighbours.inTick, onLink: false)
        if neighbours.inTick.isAtAnEnd {
            let tick = dueIndex(message.deliverAt)
            due[tick].chain.remove(neighbours.inTick)
            if due[tick].chain.first == -1 { due.remove(at: tick) }
        }
        while let first = headers.first, !first.isInFlight {
            slots.removeFirst()
            headers.removeFirst()
            firstSequence += 1
        }
        return message
    }

    /// Takes every message that matches off the wire, returning them oldest first.
    @discardableResult
    public mutating func removeAll(where shouldRemove: (InFlightMessage) -> Bool) -> [InFlightMessage] {
        var removed: [InFlightMessage] = []
        for case let message? in slots where shouldRemove(message) {
            removed.append(message)
        }
        for message in removed {
            remove(sequence: message.sequence)
        }
        return removed
    }

    // MARK: - Lists

    private func link(_ from: ServerID, _ to: ServerID) -> Link? {
        guard from.index < links.count, to.index < links[from.index].count else { return nil }
        let link = links[from.index][to.index]
        return link.count > 0 ? link : nil
    }

    /// Where `tick` is, or would go, in `due`.
    private func dueIndex(_ tick: Int) -> Int {
        var low = 0, high = due.count
        while low < high {
            let middle = (low + high) / 2
            if due[middle].tick < tick { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Makes the neighbours of a message leaving one of its lists point at each other.
    private mutating func relink(around neighbours: Neighbours, onLink: Bool) {
        let (previous, next) = (neighbours.previous, neighbours.next)
        if onLink {
            if previous != -1 { headers[previous - firstSequence].onLink.next = next }
            if next != -1 { headers[next - firstSequence].onLink.previous = previous }
        } else {
            if previous != -1 { headers[previous - firstSequence].inTick.next = next }
            if next != -1 { headers[next - firstSequence].inTick.previous = previous }
        }
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
        for message in slots {
            if let message {
                hasher.combine(message.envelope)
                hasher.combine(message.deliverAt)
            }
        }
    }
}
