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

    /// A slot's `Neighbours` as it keeps them: how far back and how far ahead
    /// they are, in sequence numbers (0: none, as a message is never its own
    /// neighbour). 32 bits each, half what two sequence numbers take: neighbours
    /// are both in flight, so closer than the ring's capacity, which
    /// `Ring.grow()` keeps at 2³¹ or less.
    struct Offsets: Sendable {
        private var back: Int32
        private var ahead: Int32

        /// On no list: the lists are off.
        static var none: Offsets { Offsets(back: 0, ahead: 0) }

        private init(back: Int32, ahead: Int32) {
            self.back = back
            self.ahead = ahead
        }

        /// The last on its list: `previous` (-1: none) and nothing after.
        init(previous: Int, of sequence: Int) {
            back = previous == -1 ? 0 : Int32(truncatingIfNeeded: sequence &- previous)
            ahead = 0
        }

        func neighbours(of sequence: Int) -> Neighbours {
            Neighbours(previous: back == 0 ? -1 : sequence &- Int(back), next: next(of: sequence))
        }

        func next(of sequence: Int) -> Int {
            ahead == 0 ? -1 : sequence &+ Int(ahead)
        }

        mutating func setNext(_ next: Int, of sequence: Int) {
            ahead = next == -1 ? 0 : Int32(truncatingIfNeeded: next &- sequence)
        }

        mutating func setPrevious(_ previous: Int, of sequence: Int) {
            back = previous == -1 ? 0 : Int32(truncatingIfNeeded: sequence &- previous)
        }
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
