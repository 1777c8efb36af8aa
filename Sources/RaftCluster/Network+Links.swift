import RaftCore

/// The messages of each link, oldest first: what `deliver A->B`, `drop A->B`
/// and their `nth` forms ask about.
extension Network {
    /// One link's messages. Joining and leaving are single mutations, so the
    /// nested array is checked for uniqueness once per send or removal, not twice.
    struct Link: Sendable {
        var chain = Chain()
        var count = 0

        /// Adds `sequence` at the end; returns the one that was last before (-1 if none).
        mutating func append(_ sequence: Int) -> Int {
            count += 1
            return chain.append(sequence)
        }

        mutating func remove(_ neighbours: Neighbours) {
            count -= 1
            chain.remove(neighbours)
        }
    }

    public func count(from: ServerID, to: ServerID) -> Int {
        listsLinks ? link(from, to)?.count ?? 0 : walk(from, to).count
    }

    /// The oldest message in flight from `from` to `to`.
    public func oldest(from: ServerID, to: ServerID) -> InFlightMessage? {
        sequence(from: from, to: to, position: 0).flatMap { self[$0] }
    }

    /// The sequence number of the `position`-th oldest message from `from` to `to`.
    /// Walks the link, so it costs the position, not the messages in flight elsewhere
    /// (unless `listsLinks` is off).
    public func sequence(from: ServerID, to: ServerID, position: Int) -> Int? {
        guard listsLinks else { return walk(from, to).dropFirst(position).first }
        guard let link = link(from, to), position < link.count else { return nil }
        var sequence = link.chain.first
        for _ in 0..<position {
            sequence = slot(sequence).pointee.onLink.next(of: sequence)
        }
        return sequence
    }

    /// Where the message with this sequence number stands on its link (0 is the
    /// oldest); walks the link up to it, reading no message.
    public func position(ofSequence target: Int) -> Int {
        guard target >= firstSequence, target < nextSequence else { return 0 }
        let place = slot(target)
        guard listsLinks else { return walk(place.pointee.from, place.pointee.to).count { $0 < target } }
        guard let link = link(place.pointee.from, place.pointee.to) else { return 0 }
        var position = 0
        var sequence = link.chain.first
        while sequence != -1, sequence != target {
            position += 1
            sequence = slot(sequence).pointee.onLink.next(of: sequence)
        }
        return position
    }

    /// Rebuilds the lists after `listsLinks` changed: none while off, what is in
    /// flight in send order when turned on.
    mutating func relistLinks() {
        links = []
        guard listsLinks else { return }
        makeRingUnique()
        for sequence in firstSequence..<nextSequence where slot(sequence).pointee.isInFlight {
            let (from, to) = (slot(sequence).pointee.from, slot(sequence).pointee.to)
            slot(sequence).pointee.onLink = Offsets(previous: listOnLink(sequence, from: from, to: to), of: sequence)
        }
    }

    /// The sequence numbers of the messages in flight from `from` to `to`, oldest
    /// first, found by walking every message in flight: the link queries' way while
    /// `listsLinks` is off.
    private func walk(_ from: ServerID, _ to: ServerID) -> LazyFilterSequence<Range<Int>> {
        (firstSequence..<nextSequence).lazy.filter { sequence in
            let place = slot(sequence)
            return place.pointee.isInFlight && place.pointee.from == from && place.pointee.to == to
        }
    }

    /// Adds `sequence` at the end of the list of messages from `from` to `to`,
    /// linking the one that was last there to it; returns that one (-1 if none).
    mutating func listOnLink(_ sequence: Int, from: ServerID, to: ServerID) -> Int {
        while links.count <= from.index { links.append([]) }
        while links[from.index].count <= to.index { links[from.index].append(Link()) }
        let previous = links[from.index][to.index].append(sequence)
        if previous != -1 { slot(previous).pointee.onLink.setNext(sequence, of: previous) }
        return previous
    }

    private func link(_ from: ServerID, _ to: ServerID) -> Link? {
        guard from.index < links.count, to.index < links[from.index].count else { return nil }
        let link = links[from.index][to.index]
        return link.count > 0 ? link : nil
    }
}
