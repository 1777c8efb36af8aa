import RaftCore

extension Network {
    /// Makes this network hold what `other` holds — the same messages with the
    /// same sequence numbers, and its lists — in its own ring when it holds one
    /// alone and the ring is large enough.
    ///
    /// `stepped`: this network held what `other` holds, and since then messages
    /// were only sent and taken off (a cluster's events do nothing else to
    /// them). With the lists off, only those are undone: what was sent is
    /// dropped, and what was taken off is copied back; the rest is not copied again.
    ///
    /// For a search, which steps each successor of a state in one scratch
    /// cluster (`Cluster.restoreSearchedState(of:changed:stepped:)`): assigning
    /// the network would share the state's ring, and the step's first change
    /// would copy every message into a new ring, allocated and freed for each successor.
    public mutating func copyInFlight(of other: Network, stepped: Bool) {
        precondition(listsLinks == other.listsLinks && listsDueTicks == other.listsDueTicks, "networks that list their messages differently")
        if isKnownUniquelyReferenced(&ring), ring.capacity >= other.ring.next - other.ring.first {
            if stepped, !listsLinks, !listsDueTicks {
                ring.takeBack(to: other.ring)
            } else {
                ring.replaceSlots(with: other.ring)
            }
        } else {
            ring = other.ring.copy(capacity: other.ring.capacity)
        }
        if listsLinks { links = other.links }
        if listsDueTicks { due = other.due }
        count = other.count
    }
}

extension Network {
    /// The sequence numbers of the messages in flight, oldest first, read from
    /// the slots without copying a message: a search fingerprinting a successor
    /// visits only the messages the state it expands did not have, and finds
    /// the others by sequence number.
    public func forEachSequenceInFlight(_ body: (Int) -> Void) {
        for sequence in firstSequence..<nextSequence where slot(sequence).pointee.isInFlight {
            body(sequence)
        }
    }
}

extension Network {
    /// The messages in flight sent before `sequence` (all of them when nil),
    /// oldest first, by sequence number and link, read from the slots without
    /// copying a message: a search lists the deliveries a state allows, a
    /// message's position on its link being the number of earlier ones there.
    public func forEachLinkInFlight(before end: Int? = nil, _ body: (_ sequence: Int, _ from: ServerID, _ to: ServerID) -> Void) {
        let first = firstSequence
        for sequence in first..<Swift.max(first, Swift.min(end ?? nextSequence, nextSequence)) {
            let place = slot(sequence)
            if place.pointee.isInFlight { body(sequence, place.pointee.from, place.pointee.to) }
        }
    }

    /// Whether the messages in flight with these sequence numbers are the same,
    /// compared where they are.
    public func holdSameMessage(_ sequence: Int, _ other: Int) -> Bool {
        contains(sequence: sequence) && contains(sequence: other) && slot(sequence).pointee.envelope == slot(other).pointee.envelope
    }
}

extension Network.Ring {
    /// Forgets every slot and takes copies of `other`'s, each at its sequence
    /// number, keeping the memory: for a ring held by one network alone, with
    /// room for every sequence number `other` remembers.
    func replaceSlots(with other: Network.Ring) {
        removeAll()
        let mask = capacity - 1, otherMask = other.capacity - 1
        for sequence in other.first..<other.next {
            (base + (sequence & mask)).initialize(to: other.base[sequence & otherMask])
        }
        first = other.first
        next = other.next
    }

    /// Makes a ring that held what `other` holds, and has since only had
    /// messages sent and taken off (with no lists kept in its slots), hold it
    /// again: it forgets the messages sent since and copies back those taken off.
    ///
    /// A slot left behind at the front (a sequence number below `first`) holds
    /// no reference but may not be where the ring's capacity now puts its
    /// sequence number (growing moves only the slots from `first` on), so each
    /// of `other`'s sequence numbers below `first` is written afresh.
    func takeBack(to other: Network.Ring) {
        let mask = capacity - 1, otherMask = other.capacity - 1
        for sequence in Swift.max(first, other.next)..<next {
            (base + (sequence & mask)).deinitialize(count: 1)
        }
        for sequence in other.first..<other.next {
            let place = base + (sequence & mask), original = other.base + (sequence & otherMask)
            if sequence < first {
                place.initialize(to: original.pointee)
            } else if !place.pointee.isInFlight, original.pointee.isInFlight {
                // A hole holds no reference: it is written over, not destroyed.
                place.initialize(to: original.pointee)
            }
        }
        first = other.first
        next = other.next
    }
}
