/// The doubly linked lists of sequence numbers that thread the messages of one
/// link (`Network+Links.swift`) or one delivery tick (`Network+DueTicks.swift`)
/// through the ring of messages in flight, without moving any message.
extension Network {
    /// Sequence numbers of the previous and next message on a list (-1: none).
    struct Neighbours: Sendable {
        var previous = -1
        var next = -1

        var isAtAnEnd: Bool { previous == -1 || next == -1 }
    }

    /// The two ends of a doubly linked list of sequence numbers (-1 when empty).
    struct Chain: Sendable {
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
}
