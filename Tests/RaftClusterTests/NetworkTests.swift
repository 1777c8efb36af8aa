import Testing

@testable import RaftCluster
@testable import RaftCore
@testable import RaftStorage

/// The network's queues: global send order, per-link order, and holes left by removal.
@Suite(.timeLimit(.minutes(3)))
struct NetworkTests {
    func envelope(_ from: Int, _ to: Int, term: Int = 1) -> Envelope {
        Envelope(from: ServerID(from), to: ServerID(to), message: .requestVoteResponse(RequestVoteResponse(term: term, granted: true)))
    }

    @Test func removalFromTheMiddleKeepsOrderAndCounts() {
        var network = Network()
        for i in 0..<6 { network.send(envelope(i % 2, 2, term: i), deliverAt: 1) }
        #expect(network.remove(sequence: 2)?.message.term == 2)
        #expect(network.remove(sequence: 2) == nil)
        #expect(network.count == 5)
        #expect(network.count(from: ServerID(0), to: ServerID(2)) == 2)
        #expect(network.messages.map(\.sequence) == [0, 1, 3, 4, 5])
        network.remove(sequence: 0)
        #expect(network.oldest?.sequence == 1)
        let copy = network
        #expect(copy.oldest(from: ServerID(0), to: ServerID(2))?.sequence == 4)
    }

    /// Slots are reused in place as the ring wraps round: what a message holds (an
    /// AppendEntries, its leader's log storage) is released exactly once, when the
    /// message leaves, and kept while any copy of the network still has it.
    @Test func reusedSlotsReleaseWhatTheirMessagesHeldExactlyOnce() {
        weak var storage: SharedBuffer<LogEntry>?
        var network = Network()
        var copy: Network?
        do {
            let entries = LogEntries([LogEntry(term: 1, value: "x")])
            storage = entries.storage
            for round in 0..<40 {
                let request = AppendEntries(term: 1, leader: ServerID(0), prevLogIndex: 0, prevLogTerm: 0, entries: entries, leaderCommit: round)
                let sequence = network.send(Envelope(from: ServerID(0), to: ServerID(1), message: .appendEntries(request)), deliverAt: 1)
                if round == 20 { copy = network }
                if round % 4 != 3 { network.remove(sequence: sequence) }
            }
        }
        #expect(network.count == 10)
        network.removeAll()
        #expect(storage != nil, "the copy still has messages holding it")
        #expect(copy?.count == 6)
        copy = nil
        #expect(storage == nil)
    }

    @Test func randomPicksLandOnlyOnMessagesInFlight() {
        var network = Network()
        var random = SeededGenerator(seed: 3)
        #expect(network.randomSequence(using: &random, tries: 8) == nil)
        for i in 0..<10 { network.send(envelope(i % 3, (i + 1) % 3), deliverAt: 1) }
        for hole in [1, 2, 4, 5, 7, 8] { network.remove(sequence: hole) }
        var picked = Set<Int>()
        for _ in 0..<200 { picked.insert(network.randomSequence(using: &random, tries: 8)!) }
        #expect(picked == [0, 3, 6, 9])
        network.remove(sequence: 0)
        network.remove(sequence: 3)
        network.remove(sequence: 9)
        #expect(network.randomSequence(using: &random, tries: 1) == 6, "the oldest when every try hits a hole")
    }

    /// Without its lists by link the network walks what is in flight, and must
    /// answer every question about a link as it does with them; turned on again,
    /// the lists must pick up what is in flight.
    @Test func linkQueriesAnswerTheSameWithoutLinkLists() {
        var listed = Network(), walked = Network()
        walked.listsLinks = false
        var random = SeededGenerator(seed: 9)
        func agree(_ listed: Network, _ walked: Network) {
            for from in 0..<3 {
                for to in 0..<3 {
                    let (a, b) = (ServerID(from), ServerID(to))
                    #expect(listed.count(from: a, to: b) == walked.count(from: a, to: b))
                    #expect(listed.oldest(from: a, to: b)?.sequence == walked.oldest(from: a, to: b)?.sequence)
                    for position in 0..<4 {
                        #expect(listed.sequence(from: a, to: b, position: position) == walked.sequence(from: a, to: b, position: position))
                    }
                }
            }
            for message in listed.messages {
                #expect(listed.position(ofSequence: message.sequence) == walked.position(ofSequence: message.sequence))
            }
        }
        for round in 0..<300 {
            if random.below(3) == 0, let sequence = listed.randomSequence(using: &random, tries: 4) {
                listed.remove(sequence: sequence)
                walked.remove(sequence: sequence)
            } else {
                let message = envelope(random.below(3), random.below(3), term: round)
                listed.send(message, deliverAt: 1)
                walked.send(message, deliverAt: 1)
            }
            agree(listed, walked)
            if round == 150 { walked.listsLinks = true }
        }
        #expect(listed.count > 5)
    }

    @Test func dueListsTurnedOnAgainListWhatIsInFlightInSendOrder() {
        var network = Network()
        network.listsDueTicks = false
        let a = network.send(envelope(0, 1), deliverAt: 3)
        let b = network.send(envelope(1, 2), deliverAt: 2)
        let c = network.send(envelope(2, 0), deliverAt: 3)
        network.remove(sequence: a)
        let d = network.send(envelope(0, 2), deliverAt: 2)
        #expect(network.due(at: 2).isEmpty && network.due(at: 3).isEmpty)
        network.listsDueTicks = true
        #expect(network.due(at: 2) == [b, d])
        #expect(network.due(at: 3) == [c])
        let e = network.send(envelope(1, 0), deliverAt: 3)
        network.remove(sequence: c)
        network.remove(sequence: b)
        #expect(network.due(at: 3) == [e])
        #expect(network.due(at: 2) == [d])
    }

    @Test func removeAllEmptiesEveryListAndStartsNumberingAgain() {
        var network = Network()
        for i in 0..<9 { network.send(envelope(i % 3, (i + 1) % 3, term: i), deliverAt: i % 2) }
        network.remove(sequence: 4)
        network.removeAll()
        #expect(network.isEmpty && network.messages.isEmpty && network.oldestSequence == nil)
        #expect(network.count(from: ServerID(0), to: ServerID(1)) == 0)
        #expect(network.due(at: 0).isEmpty && network.due(at: 1).isEmpty)
        network.send(envelope(0, 1, term: 7), deliverAt: 1)
        network.send(envelope(0, 1, term: 8), deliverAt: 1)
        #expect(network.messages.map(\.sequence) == [0, 1])
        #expect(network.oldest(from: ServerID(0), to: ServerID(1))?.message.term == 7)
        #expect(network.due(at: 1) == [0, 1])
        var fresh = Network()
        fresh.send(envelope(0, 1, term: 7), deliverAt: 1)
        fresh.send(envelope(0, 1, term: 8), deliverAt: 1)
        #expect(network == fresh)
    }

    @Test func equalityIgnoresSequenceNumbers() {
        var a = Network(), b = Network()
        a.send(envelope(9, 9), deliverAt: 1)
        a.remove(sequence: 0)
        a.send(envelope(0, 1), deliverAt: 1)
        b.send(envelope(0, 1), deliverAt: 1)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        b.send(envelope(1, 0), deliverAt: 1)
        #expect(a != b)
    }

    @Test func manyMessagesStayCheapToReach() {
        var network = Network()
        for i in 0..<100_000 { network.send(envelope(i % 3, 3 + i % 2), deliverAt: 1) }
        var delivered = 0
        while let oldest = network.oldest {
            network.remove(sequence: oldest.sequence)
            delivered += 1
        }
        #expect(delivered == 100_000)
        #expect(network.isEmpty)
    }

    /// What a message in flight costs: one slot of at most 96 bytes, in a ring at
    /// most twice as large as the most messages ever in flight; and growing the
    /// ring moves only the slots that wrapped round, keeping every message in its
    /// place in send order and in its link's and tick's lists.
    @Test func aMessageInFlightCostsOneSlotAndGrowingKeepsEveryMessage() {
        #expect(MemoryLayout<Network.Slot>.stride <= 96)
        var network = Network()
        for i in 0..<100_000 { network.send(envelope(i % 3, 3 + i % 2), deliverAt: i % 7) }
        #expect(network.ring.capacity == 131_072)
        // The oldest go, the ring wraps round, then grows with its messages split
        // between its end and its start.
        for sequence in 0..<60_000 { network.remove(sequence: sequence) }
        for i in 100_000..<200_000 { network.send(envelope(i % 3, 3 + i % 2), deliverAt: i % 7) }
        #expect(network.ring.capacity == 262_144)
        #expect(network.messages.map(\.sequence) == Array(60_000..<200_000))
        #expect(network.count(from: ServerID(0), to: ServerID(3)) == 23_334)
        #expect(network.sequence(from: ServerID(2), to: ServerID(3), position: 1) == 60_008)
        #expect(network.due(at: 3).prefix(3) == [60_000, 60_007, 60_014])
        #expect(network.due(at: 3).count == 20_000)
    }
}
