import RaftCluster
import RaftCore
import RaftScript
import Testing

@testable import RaftSimulation

/// `simulate` and `explore` with Pre-Vote, CheckQuorum and transfers
/// (raftscript.md section 10): safe for the real algorithm, broken rules still
/// found, and counterexamples with transfers that replay.
@Suite(.timeLimit(.minutes(3)))
struct ElectionExtensionSearchTests {
    static func options(unsafe: UnsafeVariant? = nil, runs: Int = 20, steps: Int = 2_000) -> SimulationOptions {
        var options = SimulationTests.options(unsafe: unsafe, runs: runs, steps: steps)
        options.prevote = true
        options.checkQuorum = true
        options.transfers = true
        return options
    }

    @Test func theCorrectAlgorithmStaysSafeWithTheExtensionsOn() {
        var options = Self.options()
        options.loss = 0.05
        options.duplicate = 0.05
        let report = Simulation.run(options: options)
        #expect(report.error == nil)
        #expect(report.failure == nil)
        #expect(report.statistics.runs == 20)
        #expect(report.statistics.elections > 20)
        #expect(report.statistics.committed > 20)
    }

    /// The scheduler asks for transfers and for leaders' timeouts, and both happen.
    @Test func randomRunsTransferAndTimeLeadersOut() throws {
        let options = Self.options()
        var cluster = try options.freshCluster()
        var scheduler = RandomScheduler(options: options, seed: 3)
        var trace = Trace(recording: false)
        var transfers = 0, leaderTimeouts = 0, precandidates = 0
        for step in 0..<3_000 {
            guard let choice = scheduler.next(in: &cluster, step: step) else { continue }
            if case .timeout(let id) = choice, cluster.isLiveLeader(id) { leaderTimeouts += 1 }
            guard try choice.apply(to: &cluster, trace: &trace) else { continue }
            if case .transfer = choice { transfers += 1 }
            precandidates += cluster.servers.count { $0.role.kind == .precandidate }
        }
        #expect(transfers > 10)
        #expect(leaderTimeouts > 10)
        #expect(precandidates > 10)
        #expect(cluster.safety.violations.isEmpty)
    }

    @Test(arguments: [UnsafeVariant.voteTwice, .keepStaleTerm, .truncateAlways, .noUpToDateCheck])
    func brokenRulesAreStillFoundAndReplay(variant: UnsafeVariant) throws {
        let options = Self.options(unsafe: variant, runs: 300, steps: 5_000)
        let report = Simulation.run(options: options)
        let failure = try #require(report.failure)
        var shrinker = Shrinker(options: options, property: failure.violation.property)
        shrinker.maxReplays = 2_000
        let shrunk = try #require(try shrinker.shrink(failure.steps))
        let text = Counterexample.script(
            steps: shrunk.steps, violation: shrunk.violation, servers: options.servers, unsafe: options.unsafe, header: ["test"],
            settings: options.extensionSettings
        )
        #expect(text.contains("set prevote on\nset checkquorum on\n"))
        try SimulationTests.expectFailsAtItsEnd(text, breaking: shrunk.violation.property)
    }

    @Test func aTransferIsACommandAndACode() throws {
        let name: (ServerID) -> String = { "s\($0.index + 1)" }
        let transfer = Step.transfer(ServerID(1), to: ServerID(4))
        #expect(transfer.command(name) == "transfer s2 s5")
        #expect(try Parser.parse(transfer.command(name)) == .transfer(.named("s2"), .named("s5")))
        #expect(Step(code: transfer.code, submitted: 0) == transfer)
        #expect(Step(code: Step.heartbeat(ServerID(1)).code, submitted: 0) == .heartbeat(ServerID(1)))
    }

    @Test func anExhaustiveSearchWithTheExtensionsIsSafeAndBigger() throws {
        var options = ExploreOptions()
        options.maxTerm = 1
        options.maxLog = 0
        options.maxInFlight = 3
        let plain = try Explorer(options: options).explore(from: try Cluster(size: 3))
        options.prevote = true
        options.checkQuorum = true
        options.transfers = true
        let extended = try Explorer(options: options).explore(from: try Cluster(size: 3, configuration: Configuration(prevote: true, checkQuorum: true)))
        #expect(plain.failure == nil)
        #expect(extended.failure == nil)
        #expect(extended.statistics.distinct > plain.statistics.distinct)
    }

    @Test func anExhaustiveSearchFindsABrokenRuleWithTheExtensionsOn() throws {
        var options = ExploreOptions()
        options.maxTerm = 2
        options.maxLog = 0
        options.maxInFlight = 3
        options.unsafe = .voteTwice
        options.prevote = true
        options.checkQuorum = true
        options.transfers = true
        var start = try Cluster(size: 3, configuration: Configuration(prevote: true, checkQuorum: true))
        start.configure { $0.setUnsafe(.voteTwice, true) }
        let report = try Explorer(options: options).explore(from: start)
        let failure = try #require(report.failure)
        #expect(failure.violation.property == "Election Safety")
        let text = Counterexample.script(
            steps: failure.steps, violation: failure.violation, servers: 3, unsafe: .voteTwice, header: ["test"],
            settings: options.extensionSettings
        )
        var runner = ScriptRunner(interpreter: try Interpreter(servers: 3)) { _ in }
        #expect(runner.run(script: text, named: "cx.raftscript").exitStatus == 1)
    }
}
