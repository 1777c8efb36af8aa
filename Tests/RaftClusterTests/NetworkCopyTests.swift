import Testing

@testable import RaftCluster
@testable import RaftCore
@testable import RaftStorage

/// `Network.copyInFlight(of:stepped:)`, by which a search brings one scratch
/// network back to the state it expands before each successor.
@Suite(.timeLimit(.minutes(3)))
struct NetworkCopyTests {
    func envelope(_ from: Int, _ to: Int, term: Int) -> Envelope {
        Envelope(from: ServerID(from), to: ServerID(to), message: .requestVoteResponse(RequestVoteResponse(term: term, granted: true)))
    }

    /// A network as a search keeps it: no lists by link or by tick.
    func unlisted() -> Network {
        var network = Network()
        network.listsLinks = false
        network.listsDueTicks = false
        return network
    }

    func contents(_ network: Network) -> [String] {
        network.messages.map { "\($0.sequence): \($0.from.index)->\($0.to.index) \($0.message.term)" }
    }

    /// Random steps (removals anywhere, the oldest included, and sends, enough
    /// at times to wrap the ring round or make it grow), each undone by a stepped
    /// copy: the messages come back with their sequence numbers, and the base
    /// network, which shares nothing with the copy, is never changed.
    @Test func aSteppedCopyUndoesWhatWasSentAndTakenOff() {
        var random = SeededGenerator(seed: 7)
        for round in 0..<200 {
            var base = unlisted()
            let sent = 1 + random.below(6)
            for i in 0..<sent { base.send(envelope(i % 3, (i + 1) % 3, term: round), deliverAt: 0) }
            for sequence in 0..<sent where random.below(3) == 0 { base.remove(sequence: sequence) }
            let expected = contents(base)
            var scratch = unlisted()
            scratch.copyInFlight(of: base, stepped: false)
            #expect(contents(scratch) == expected)
            for _ in 0..<20 {
                let inFlight = scratch.messages.map(\.sequence)
                for sequence in inFlight where random.below(3) == 0 { scratch.remove(sequence: sequence) }
                for i in 0..<random.below(9) { scratch.send(envelope(i % 3, 2 - i % 3, term: 1000 + i), deliverAt: 0) }
                scratch.copyInFlight(of: base, stepped: true)
                #expect(contents(scratch) == expected)
                #expect(scratch.count == base.count)
            }
            #expect(contents(base) == expected)
        }
    }

    /// What the messages taken back hold is released once, when the last
    /// network holding them lets them go.
    @Test func aSteppedCopyReleasesWhatItTookBackOnce() {
        weak var storage: SharedBuffer<LogEntry>?
        var scratch = unlisted()
        do {
            let entries = LogEntries([LogEntry(term: 1, value: "x")])
            storage = entries.storage
            var base = unlisted()
            for round in 0..<3 {
                let request = AppendEntries(term: 1, leader: ServerID(0), prevLogIndex: 0, prevLogTerm: 0, entries: entries, leaderCommit: round)
                base.send(Envelope(from: ServerID(0), to: ServerID(1), message: .appendEntries(request)), deliverAt: 0)
            }
            scratch.copyInFlight(of: base, stepped: false)
            for _ in 0..<10 {
                scratch.remove(sequence: 0)
                scratch.remove(sequence: 2)
                let request = AppendEntries(term: 2, leader: ServerID(0), prevLogIndex: 0, prevLogTerm: 0, entries: entries, leaderCommit: 9)
                scratch.send(Envelope(from: ServerID(0), to: ServerID(2), message: .appendEntries(request)), deliverAt: 0)
                scratch.copyInFlight(of: base, stepped: true)
            }
            #expect(scratch.messages.map(\.message.term) == [1, 1, 1])
        }
        #expect(storage != nil, "the scratch network still holds messages that hold it")
        scratch.removeAll()
        #expect(storage == nil)
    }
}
