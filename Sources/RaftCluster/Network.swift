import DequeModule
import RaftCore

/// The messages in flight, in global send order, with a queue per link and per
/// delivery tick.
///
/// Every lookup the language needs — the oldest message overall, the oldest
/// from A to B, the ones due at a tick, one by its sequence number — is O(1)
/// amortized, so delivering one message costs the same with ten or a million in
/// flight. Removal leaves a hole (`nil`) that is trimmed once it reaches the front.
public struct Network: Sendable {
    /// `slots[i]` holds the message with sequence `firstSequence + i`, or nil once it left.
    private var slots: Deque<InFlightMessage?> = []
    private var firstSequence = 0
    private var nextSequence = 0
    private var links: [Link: SequenceQueue] = [:]
    private var due: [Int: SequenceQueue] = [:]
    public private(set) var count = 0

    public init() {}

    private struct Link: Hashable, Sendable {
        var from: ServerID
        var to: ServerID
    }

    public var isEmpty: Bool { count == 0 }

    /// Every message in flight, oldest first.
    public var messages: [InFlightMessage] {
        slots.compactMap { $0 }
    }

    public func count(from: ServerID, to: ServerID) -> Int {
        links[Link(from: from, to: to)]?.live ?? 0
    }

    @discardableResult
    public mutating func send(_ envelope: Envelope, deliverAt: Int) -> InFlightMessage {
        let message = InFlightMessage(sequence: nextSequence, envelope: envelope, deliverAt: deliverAt)
        nextSequence += 1
        slots.append(message)
        links[Link(from: envelope.from, to: envelope.to), default: SequenceQueue()].append(message.sequence)
        due[deliverAt, default: SequenceQueue()].append(message.sequence)
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

    /// The oldest message in flight from `from` to `to`.
    public mutating func oldest(from: ServerID, to: ServerID) -> InFlightMessage? {
        let link = Link(from: from, to: to)
        guard links[link] != nil else { return nil }
        let slots = self.slots, first = firstSequence
        let sequence = links[link]!.first { sequence in
            let offset = sequence - first
            return offset >= 0 && offset < slots.count && slots[offset] != nil
        }
        return sequence.flatMap { self[$0] }
    }

    /// The `position`-th oldest message (0 is the oldest) in flight from `from` to `to`.
    /// Walks the link, so it costs the position, not the messages in flight elsewhere.
    public func message(from: ServerID, to: ServerID, position: Int) -> InFlightMessage? {
        guard let queue = links[Link(from: from, to: to)], position < queue.live else { return nil }
        var remaining = position
        return queue.firstLive(where: { sequence in
            guard self[sequence] != nil else { return false }
            defer { remaining -= 1 }
            return remaining == 0
        }).flatMap { self[$0] }
    }

    /// A message chosen by `index` among all in flight (0 is the oldest), for random
    /// schedules; costs the number of holes left by earlier removals at worst.
    public func message(atSlot index: Int) -> InFlightMessage? {
        index < slots.count ? slots[index] : nil
    }

    /// The number of slots, holes included: `message(atSlot:)` takes indexes below it.
    public var slotCount: Int { slots.count }

    /// Where `message` stands on its link (0 is the oldest).
    public func position(of message: InFlightMessage) -> Int {
        guard let queue = links[Link(from: message.from, to: message.to)] else { return 0 }
        var position = 0
        _ = queue.firstLive { sequence in
            if sequence == message.sequence { return true }
            if self[sequence] != nil { position += 1 }
            return false
        }
        return position
    }

    /// The sequence numbers of the messages due at `tick`, in send order.
    public func due(at tick: Int) -> [Int] {
        due[tick]?.all { self[$0] != nil } ?? []
    }

    /// Takes one message off the wire.
    @discardableResult
    public mutating func remove(sequence: Int) -> InFlightMessage? {
        let offset = sequence - firstSequence
        guard offset >= 0, offset < slots.count, let message = slots[offset] else { return nil }
        slots[offset] = nil
        count -= 1
        do {
            // A read-only view of the slots for the queues' sweeps; it must be gone
            // before the slots are trimmed below, or trimming would copy them.
            let view = slots, first = firstSequence
            let isLive = { (s: Int) in s >= first && s - first < view.count && view[s - first] != nil }
            let link = Link(from: message.from, to: message.to)
            links[link]!.removed(sequence, isLive: isLive)
            if links[link]!.live == 0 { links[link] = nil }
            due[message.deliverAt]!.removed(sequence, isLive: isLive)
            if due[message.deliverAt]!.live == 0 { due[message.deliverAt] = nil }
        }
        while let first = slots.first, first == nil {
            slots.removeFirst()
            firstSequence += 1
        }
        return message
    }

    /// Takes every message that matches off the wire, returning them oldest first.
    @discardableResult
    public mutating func removeAll(where shouldRemove: (InFlightMessage) -> Bool) -> [InFlightMessage] {
        let removed = messages.filter(shouldRemove)
        for message in removed {
            remove(sequence: message.sequence)
        }
        return removed
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
