@testable import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// `simulate`'s election figures: elections started, terms started and the
/// longest stretch without a leader, each checked against a replay of the run
/// that counts them another way, event by event.
@Suite(.timeLimit(.minutes(3)))
struct ElectionFiguresTests {
    /// The figures of one run, counted by comparing every server before and
    /// after each event of the schedule the scheduler draws, and by asking
    /// before each step whether some live server is LEADER.
    static func counted(seed: UInt64, options: SimulationOptions) throws -> (elections: Int, highestTerm: Int, longest: Int) {
        var cluster = try options.freshCluster()
        var scheduler = RandomScheduler(options: options, seed: seed)
        var trace = Trace(recording: false)
        var elections = 0, gap = 0, longest = 0
        for step in 0..<options.steps {
            gap = cluster.liveLeaders.isEmpty ? gap + 1 : 0
            longest = max(longest, gap)
            guard let choice = scheduler.next(in: &cluster, step: step) else { continue }
            let before = cluster.servers
            guard try choice.apply(to: &cluster, trace: &trace) else { continue }
            for (old, new) in zip(before, cluster.servers) where new.currentTerm > old.currentTerm {
                if new.role.kind == .candidate || new.role.kind == .leader { elections += 1 }
            }
        }
        return (elections, cluster.servers.map(\.currentTerm).max() ?? 0, longest)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func eachFigureIsWhatTheRunDid(seed: UInt64) throws {
        var options = SimulationTests.options(runs: 1, steps: 2_000)
        options.cuts = seed.isMultiple(of: 2)
        let (statistics, failure) = try Simulation.run(seed: seed, options: options)
        #expect(failure == nil)
        let expected = try Self.counted(seed: seed, options: options)
        #expect(statistics.electionsStarted == expected.elections)
        #expect(statistics.termsStarted == expected.highestTerm)
        #expect(statistics.longestWithoutLeader == expected.longest)
        #expect(statistics.longestWithoutLeaderSummed == expected.longest)
        // Every term that had a leader was started by an election, and a fresh
        // cluster starts without a leader.
        #expect(statistics.electionsStarted >= statistics.elections)
        #expect(statistics.electionsStarted >= statistics.termsStarted)
        #expect(statistics.longestWithoutLeader >= 1)
    }

    /// The stretch without a leader is counted where a leader goes or comes
    /// back, so one still going when the run ends must count up to its end: a
    /// fresh five-server cluster elects nobody in three steps, and short runs
    /// often end between two leaders.
    @Test func aStretchStillGoingWhenTheRunEndsCountsToTheEnd() throws {
        let three = SimulationTests.options(runs: 1, steps: 3)
        #expect(try Simulation.run(seed: 1, options: three).0.longestWithoutLeader == 3)
        for steps in [1, 5, 20, 60, 200] {
            let options = SimulationTests.options(runs: 1, steps: steps)
            for seed in UInt64(1)...12 {
                let (statistics, failure) = try Simulation.run(seed: seed, options: options)
                #expect(failure == nil)
                #expect(statistics.longestWithoutLeader == (try Self.counted(seed: seed, options: options)).longest, "\(steps) steps, seed \(seed)")
            }
        }
    }

    /// Over several runs: started elections and terms add up, the longest stretch
    /// is the longest of any run, and the sum of each run's longest gives the mean.
    @Test func runsAddUp() throws {
        let options = SimulationTests.options(runs: 6, steps: 1_000)
        let report = Simulation.run(options: options)
        var elections = 0, terms = 0, longest = 0, summed = 0
        for index in 0..<6 {
            let (statistics, _) = try Simulation.run(seed: options.seed + UInt64(index), options: options)
            elections += statistics.electionsStarted
            terms += statistics.termsStarted
            longest = max(longest, statistics.longestWithoutLeader)
            summed += statistics.longestWithoutLeader
        }
        #expect(report.statistics.electionsStarted == elections)
        #expect(report.statistics.termsStarted == terms)
        #expect(report.statistics.longestWithoutLeader == longest)
        #expect(report.statistics.longestWithoutLeaderSummed == summed)
    }

    /// A one-server cluster's timeout elects it at once, and counts as an election;
    /// in five servers a candidate that times out again starts a second one.
    @Test func aOneServerClusterCountsItsElection() throws {
        var cluster = try Cluster(size: 1)
        var trace = Trace(recording: false)
        try cluster.timeout(ServerID(0), trace: &trace)
        #expect(cluster.electionsStarted == 1)
        var five = try Cluster(size: 5)
        try five.timeout(ServerID(0), trace: &trace)
        try five.timeout(ServerID(0), trace: &trace)
        try five.settle(maxDeliveries: 100, trace: &trace)
        #expect(five.electionsStarted == 2, "a candidate timing out starts a second election; votes and heartbeats start none")
    }
}
