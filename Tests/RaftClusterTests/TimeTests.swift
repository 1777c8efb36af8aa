import RaftCore
import Testing

@testable import RaftCluster

/// Logical time: delivery by latency, timers by a seeded generator, and determinism.
@Suite(.timeLimit(.minutes(3)))
struct TimeTests {
    @Test func aTickDeliversWhatIsDueThenFiresTimers() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1")
        try cluster.timeout(s1, trace: &trace)
        try cluster.tick(trace: &trace)  // RequestVotes arrive; the grants go in flight, due next tick
        #expect(cluster.now == 1)
        #expect(cluster.kinds.allSatisfy { $0.hasSuffix("RequestVoteResponse") })
        try cluster.tick(trace: &trace)
        #expect(cluster[s1].role.kind == .leader)
        #expect(cluster.kinds.allSatisfy { $0.hasSuffix(" AppendEntries") })
        #expect(cluster.heartbeatDue[0] == 2 + 3)
    }

    @Test func aClusterThatKeptNoTimeStartsItAtTheFirstTick() throws {
        var cluster = Cluster.fresh()
        cluster.keepsTime = false
        var trace = quiet
        let s1 = cluster.id("s1")
        try cluster.timeout(s1, trace: &trace)
        #expect(cluster.electionDeadline.allSatisfy { $0 == nil }, "no timer drawn while time is not kept")
        #expect(cluster.network.due(at: 1).isEmpty, "nor messages listed by tick")
        try cluster.tick(trace: &trace)  // the RequestVotes sent before are due now, and arrive
        #expect(cluster.keepsTime)
        #expect(cluster.kinds.allSatisfy { $0.hasSuffix("RequestVoteResponse") })
        #expect(cluster.electionDeadline.allSatisfy { $0 != nil })
        try cluster.tick(trace: &trace)
        #expect(cluster[s1].role.kind == .leader)
    }

    @Test func equalTimeoutsFireInClusterOrderAndSplitTheVote() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        cluster.setTiming(electionTimeout: 4...4)
        for _ in 0..<4 { try cluster.tick(trace: &trace) }
        #expect(cluster.servers.map(\.role.kind) == [.candidate, .candidate, .candidate])
        #expect(cluster.servers.map(\.currentTerm) == [1, 1, 1])
        #expect(cluster.kinds.prefix(2) == ["s1->s2 RequestVote", "s1->s3 RequestVote"])
        for _ in 0..<4 { try cluster.tick(trace: &trace) }
        #expect(cluster.liveLeaders.isEmpty)
        #expect(cluster.servers.map(\.currentTerm) == [2, 2, 2])
    }

    @Test func leadersSendHeartbeatsEveryInterval() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        try cluster.elect("s1")
        cluster.setTiming(heartbeatInterval: 2)
        cluster.heartbeatDue[0] = 1
        try cluster.tick(trace: &trace)
        #expect(cluster.network.count == 2)
        try cluster.tick(trace: &trace)  // the heartbeats arrive, replies go out; next heartbeat at 3
        try cluster.tick(trace: &trace)
        #expect(cluster.kinds == ["s1->s2 AppendEntries", "s1->s3 AppendEntries"])
    }

    @Test func tickUntilLeaderStopsAtAnEstablishedLeaderOrFails() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let ticks = try cluster.tickUntilLeader(maxTicks: 1000, trace: &trace)
        #expect(ticks > 0)
        #expect(cluster.establishedLeader == (try cluster.leader()))
        #expect(try cluster.tickUntilLeader(maxTicks: 0, trace: &trace) == 0)

        var split = Cluster.fresh(3)
        split.setTiming(electionTimeout: 4...4)
        #expect(throws: ClusterError.noLeaderWithin(ticks: 50)) { try split.tickUntilLeader(maxTicks: 50, trace: &trace) }
    }

    @Test func lossOneLosesEverythingDue() throws {
        var cluster = Cluster.fresh()
        var trace = Trace(recording: true)
        cluster.setTiming(loss: 1)
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        try cluster.tick(trace: &trace)
        #expect(cluster.network.isEmpty)
        #expect(trace.events.filter { if case .dropped(_, .lost) = $0 { true } else { false } }.count == 4)
    }

    @Test func latencyIsDrawnPerMessage() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        cluster.setTiming(latency: 2...5)
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        let due = cluster.network.messages.map(\.deliverAt)
        #expect(due.allSatisfy { (2...5).contains($0) })
        try cluster.tick(trace: &trace)
        #expect(cluster.network.count == 4)
        for _ in 0..<4 { try cluster.tick(trace: &trace) }
        #expect(cluster.servers.dropFirst().allSatisfy { $0.currentTerm == 1 })
    }

    /// Same seed, same commands: the same cluster, to the last field.
    @Test func aLongRunIsReproducible() throws {
        func run(seed: UInt64) throws -> Cluster {
            var cluster = Cluster.fresh()
            var trace = quiet
            cluster.reseed(seed)
            cluster.setTiming(latency: 1...4, loss: 0.05)
            for round in 0..<40 {
                for _ in 0..<25 { try cluster.tick(trace: &trace) }
                if let leader = try? cluster.leader() {
                    _ = try cluster.submit("v\(round)", to: leader, trace: &trace)
                    if round % 7 == 3 { try cluster.crash(leader, trace: &trace) }
                }
                for id in cluster.ids where !cluster.isUp[id.index] && round % 7 == 5 {
                    try cluster.restart(id)
                }
            }
            return cluster
        }
        let first = try run(seed: 42)
        #expect(try run(seed: 42) == first)
        #expect(try run(seed: 43) != first)
        #expect(first.safety.isSafe)
        #expect(first.safety.committedCount > 10)
    }
}

/// The generator's shortcuts must draw exactly what the standard library does.
@Suite(.timeLimit(.minutes(3)))
struct SeededGeneratorTests {
    @Test func belowIsTheStandardLibrarysDraw() {
        var mine = SeededGenerator(seed: 7), library = SeededGenerator(seed: 7)
        // Small bounds, bounds that make rejection likely (just above a power of two,
        // and near 2^63), and everything between.
        let bounds = Array(1...200) + [257, 65_537, 1 << 40 + 1, Int.max / 3 * 2, Int.max]
        for bound in bounds {
            for _ in 0..<200 {
                #expect(mine.below(bound) == Int.random(in: 0..<bound, using: &library))
            }
        }
        #expect(mine == library)
    }

    @Test func drawAndCoinFlipAreTheStandardLibrarysDraws() {
        var mine = SeededGenerator(seed: 11), library = SeededGenerator(seed: 11)
        for _ in 0..<10_000 {
            #expect(mine.coinFlip() == Bool.random(using: &library))
            #expect(mine.draw(30...100) == Int.random(in: 30...100, using: &library))
            #expect(mine.draw(-5...(-2)) == Int.random(in: -5...(-2), using: &library))
        }
        #expect(mine == library)
        #expect(mine.draw(4...4) == 4)
        #expect(mine == library, "a one-number range draws nothing")
    }

    /// A prepared `Chance` decides as comparing the standard library's draw in
    /// [0, 1) with its probability would, from the same state, for probabilities
    /// at and near every edge.
    @Test func aChanceDecidesAsTheStandardLibrarysDrawWould() {
        let edges = [0, 0x1p-53, 0x1p-52 * 1.5, 1 - 0x1p-53, 1, 1.5, .leastNonzeroMagnitude, -0.5]
        let probabilities = edges + (0...100).map { Double($0) / 100 } + [0.05, 1.0 / 3]
        var mine = SeededGenerator(seed: 3), reference = SeededGenerator(seed: 3)
        var successes = 0
        for p in probabilities {
            for _ in 0..<500 {
                let expected = p > 0 && Double.random(in: 0..<1, using: &reference) < p
                #expect(mine.chance(Chance(p)) == expected, "p = \(p)")
                successes += expected ? 1 : 0
            }
        }
        #expect(mine == reference)
        // Draws whose low 53 bits sit right at a limit, which random states rarely hit.
        for p in [0.05, 1.0 / 3, 0x1p-52 * 1.5] {
            let limit = (p * 0x1p53).rounded(.up)
            for m in [limit - 1, limit, limit + 1] {
                #expect((UInt64(m) < Chance(p).limit) == (m * 0x1p-53 < p))
            }
        }
        #expect(successes > 10_000)
    }
}
