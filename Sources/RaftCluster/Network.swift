import DequeModule
import RaftCore

/// The messages in flight, in global send order, with a queue per link.
///
/// Every lookup the language needs — the oldest message overall, the oldest
/// from A to B, one message by its sequence number — is O(1) amortized, so
/// delivering one message costs the same with ten or a million in flight.
/// Removal leaves a hole (`nil`) that is trimmed once it reaches the front; a
/// link queue skips sequence numbers that are no longer in flight.
public struct Network: Sendable {
    /// `slots[i]` holds the message with sequence `firstSequence + i`, or nil once it left.
    private var slots: Deque<InFlightMessage?> = []
    private var firstSequence = 0
    private var nextSequence = 0
    private var links: [Link: Deque<Int>] = [:]
    private var linkCounts: [Link: Int] = [:]
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
        linkCounts[Link(from: from, to: to), default: 0]
    }

    @discardableResult
    public mutating func send(_ envelope: Envelope) -> InFlightMessage {
        let message = InFlightMessage(sequence: nextSequence, envelope: envelope)
        nextSequence += 1
        slots.append(message)
        let link = Link(from: envelope.from, to: envelope.to)
        links[link, default: []].append(message.sequence)
        linkCounts[link, default: 0] += 1
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
        guard linkCounts[link, default: 0] > 0 else { return nil }
        // Skip (and forget) sequence numbers that left by another route.
        while let sequence = links[link]?.first {
            if let message = self[sequence] { return message }
            links[link]!.removeFirst()
        }
        return nil
    }

    /// Takes one message off the wire.
    @discardableResult
    public mutating func remove(sequence: Int) -> InFlightMessage? {
        let offset = sequence - firstSequence
        guard offset >= 0, offset < slots.count, let message = slots[offset] else { return nil }
        slots[offset] = nil
        count -= 1
        let link = Link(from: message.from, to: message.to)
        linkCounts[link, default: 1] -= 1
        if linkCounts[link] == 0 {
            linkCounts[link] = nil
            links[link] = nil
        } else if links[link]?.first == sequence {
            links[link]!.removeFirst()
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
/// order; sequence numbers only record how the run got there.
extension Network: Hashable {
    public static func == (lhs: Network, rhs: Network) -> Bool {
        lhs.count == rhs.count && lhs.messages.map(\.envelope) == rhs.messages.map(\.envelope)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for message in slots {
            if let message { hasher.combine(message.envelope) }
        }
    }
}
