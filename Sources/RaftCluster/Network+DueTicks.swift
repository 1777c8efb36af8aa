/// The messages due at each tick, in send order: what `tick` delivers.
extension Network {
    struct DueTick: Sendable {
        var tick: Int
        var chain = Chain()
    }

    /// The sequence numbers of the messages due at `tick`, in send order; none
    /// while `listsDueTicks` is off.
    public func due(at tick: Int) -> [Int] {
        let index = dueIndex(tick)
        guard index < due.count, due[index].tick == tick else { return [] }
        var sequences: [Int] = []
        var sequence = due[index].chain.first
        while sequence != -1 {
            sequences.append(sequence)
            sequence = slot(sequence).pointee.inTick.next(of: sequence)
        }
        return sequences
    }

    /// Rebuilds the lists after `listsDueTicks` changed: none while off, what is
    /// in flight in send order when turned on.
    mutating func relistDueTicks() {
        due.removeAll()
        guard listsDueTicks else { return }
        makeRingUnique()
        for sequence in firstSequence..<nextSequence where slot(sequence).pointee.isInFlight {
            slot(sequence).pointee.inTick = Offsets(previous: listDue(sequence, at: slot(sequence).pointee.deliverAt), of: sequence)
        }
    }

    /// Adds `sequence` at the end of the list of messages due at `tick`, linking
    /// the one that was last there to it; returns that one (-1 if none).
    mutating func listDue(_ sequence: Int, at tick: Int) -> Int {
        let index = dueIndex(tick)
        if index == due.count || due[index].tick != tick { due.insert(DueTick(tick: tick), at: index) }
        let previous = due[index].chain.append(sequence)
        if previous != -1 { slot(previous).pointee.inTick.setNext(sequence, of: previous) }
        return previous
    }

    /// Where `tick` is, or would go, in `due`.
    func dueIndex(_ tick: Int) -> Int {
        var low = 0, high = due.count
        while low < high {
            let middle = (low + high) / 2
            if due[middle].tick < tick { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
