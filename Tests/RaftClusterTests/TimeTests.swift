import RaftCore
import Testing

@testable import RaftCluster

/// Logical time: delivery by latency, timers by a seeded generator, and determinism.
struct TimeTests {
    @Test func aTickDeliversWhatIsDueThenFiresTimers() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1")
        try cluster.timeout(s1, trace: &trace)
        cluster.tick(trace: &trace)  // RequestVotes arrive; the grants go in flight, due next tick
        #expect(cluster.now == 1)
        #expect(cluster.kinds.allSatisfy { $0.hasSuffix("RequestVoteResponse") })
        cluster.tick(trace: &trace)
        #expect(cluster[s1].role.kind == .leader)
        #expect(cluster.kinds.allSatisfy { $0.hasSuffix(" AppendEntries") })
        #expect(cluster.heartbeatDue[0] == 2 + 3)
    }

    @Test func equalTimeoutsFireInClusterOrderAndSplitTheVote() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        cluster.setTiming(electionTimeout: 4...4)
        for _ in 0..<4 { cluster.tick(trace: &trace) }
        #expect(cluster.servers.map(\.role.kind) == [.candidate, .candidate, .candidate])
        #expect(cluster.servers.map(\.currentTerm) == [1, 1, 1])
        #expect(cluster.kinds.prefix(2) == ["s1->s2 RequestVote", "s1->s3 RequestVote"])
        for _ in 0..<4 { cluster.tick(trace: &trace) }
        #expect(cluster.liveLeaders.isEmpty)
        #expect(cluster.servers.map(\.currentTerm) == [2, 2, 2])
    }

    @Test func leadersSendHeartbeatsEveryInterval() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        try cluster.elect("s1")
        cluster.setTiming(heartbeatInterval: 2)
        cluster.heartbeatDue[0] = 1
        cluster.tick(trace: &trace)
        #expect(cluster.network.count == 2)
        cluster.tick(trace: &trace)  // the heartbeats arrive, replies go out; next heartbeat at 3
        cluster.tick(trace: &trace)
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
        cluster.tick(trace: &trace)
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
        cluster.tick(trace: &trace)
        #expect(cluster.network.count == 4)
        for _ in 0..<4 { cluster.tick(trace: &trace) }
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
                for _ in 0..<25 { cluster.tick(trace: &trace) }
                if let leader = try? cluster.leader() {
                    _ = cluster.submit("v\(round)", to: leader, trace: &trace)
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

/// The generator's shortcut for `Double.random(in: 0..<1)` must draw exactly what the standard library does.
struct SeededGeneratorTests {
    @Test func unitDoubleIsTheStandardLibrarysDraw() {
        var mine = SeededGenerator(seed: 7), library = SeededGenerator(seed: 7)
        for _ in 0..<10_000 {
            #expect(mine.unitDouble() == Double.random(in: 0..<1, using: &library))
        }
        #expect(mine == library)
    }
}
