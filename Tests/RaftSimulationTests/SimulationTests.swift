import RaftCluster
import RaftCore
import RaftScript
import Testing

@testable import RaftSimulation

/// Random schedules: reproducible, safe for the real algorithm, and each broken
/// rule found, shrunk and handed back as a script that fails the same way.
@Suite(.timeLimit(.minutes(3)))
struct SimulationTests {
    /// A written counterexample runs and fails once, at its final `expect safe`,
    /// on `property`.
    static func expectFailsAtItsEnd(_ text: String, breaking property: String) throws {
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: try Interpreter()) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        let summary = runner.run(script: text, named: "cx.raftscript")
        #expect(summary.exitStatus == 1)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.contains("expect failed: not safe: \(property)") == true)
    }

    static func options(unsafe: UnsafeVariant? = nil, runs: Int = 40, steps: Int = 3_000) -> SimulationOptions {
        var options = SimulationOptions()
        options.unsafe = unsafe
        options.runs = runs
        options.steps = steps
        options.clients = true
        options.crashes = true
        options.partitions = true
        return options
    }

    /// The statistics of a run that finds a violation count the runs up to the
    /// failing seed, whatever the threads did past it (issue 22, item 11): the
    /// same command prints the same summary every time.
    @Test(.timeLimit(.minutes(3)))
    func theSummaryIsTheSameWhateverTheThreadsDid() {
        var options = Self.options(unsafe: .commitOldTerms, runs: 300, steps: 500)
        options.jobs = 1
        let alone = Simulation.run(options: options)
        #expect(alone.failure != nil)
        let failingIndex = Int(alone.failure!.seed - options.seed)
        #expect(alone.statistics.runs == failingIndex + 1)
        for _ in 0..<5 {
            options.jobs = 4
            let together = Simulation.run(options: options)
            #expect(together.statistics == alone.statistics)
            #expect(together.failure == alone.failure)
        }
    }

    @Test func theCorrectAlgorithmStaysSafeUnderEveryKindOfEvent() {
        var options = Self.options(runs: 30)
        options.loss = 0.05
        options.duplicate = 0.05
        let report = Simulation.run(options: options)
        #expect(report.failure == nil)
        #expect(report.statistics.runs == 30)
        #expect(report.statistics.events > 30 * 2_500)
        #expect(report.statistics.elections > 30)
        #expect(report.statistics.committed > 30)
    }

    /// A partition is drawn as the first servers of a shuffled list; the scheduler
    /// shuffles on the stack and returns a set, and must draw exactly what
    /// `ids.shuffled(using:)` and a cut would, so that seeds keep their schedules.
    @Test func aRandomPartitionDrawsWhatShufflingTheIdsWould() throws {
        for size in [1, 2, 3, 5, 7] {
            var cluster = try Cluster(size: size)
            for seed in UInt64(0)..<200 {
                var scheduler = RandomScheduler(options: Self.options(), seed: seed)
                var reference = scheduler.random
                var shuffled = cluster.ids.shuffled(using: &reference)
                shuffled.removeSubrange((1 + Int.random(in: 0..<(max(2, size) - 1), using: &reference))...)
                guard case .partition(let group) = scheduler.partitionOrHeal(in: &cluster) else {
                    Issue.record("a whole network is partitioned, never healed")
                    return
                }
                #expect(group.members == shuffled.sorted())
                #expect(scheduler.random == reference)
            }
        }
    }

    @Test func aRunIsDeterminedByItsSeedWhateverTheJobs() throws {
        var options = Self.options(unsafe: .voteTwice, runs: 30)
        let one = Simulation.run(options: options)
        options.jobs = 2
        let two = Simulation.run(options: options)
        #expect(one.failure == two.failure)
        #expect(one.failure != nil)
        let (a, _) = try Simulation.run(seed: 7, options: Self.options())
        let (b, _) = try Simulation.run(seed: 7, options: Self.options())
        #expect(a == b)
    }

    @Test(arguments: UnsafeVariant.allCases)
    func everyUnsafeVariantIsFoundShrunkAndReplayable(variant: UnsafeVariant) throws {
        let options = Self.options(unsafe: variant, runs: 300, steps: 10_000)
        let report = Simulation.run(options: options)
        let failure = try #require(report.failure)
        var shrinker = Shrinker(options: options, property: failure.violation.property)
        shrinker.maxReplays = 3_000
        let shrunk = try #require(try shrinker.shrink(failure.steps))
        #expect(shrunk.steps.count <= failure.steps.count)
        #expect(shrunk.steps.count <= 40)
        #expect(shrunk.violation.property == failure.violation.property)

        // Without the unsafe rule the same steps are safe.
        var safe = options
        safe.unsafe = nil
        #expect(try Shrinker(options: safe, property: failure.violation.property).replay(shrunk.steps) == nil)

        // The written script fails exactly at its final `expect safe`.
        let text = Counterexample.script(steps: shrunk.steps, violation: shrunk.violation, servers: options.servers, unsafe: options.unsafe, header: ["test"])
        try SimulationTests.expectFailsAtItsEnd(text, breaking: shrunk.violation.property)
    }

    /// A shrunk schedule cannot lose any one step, nor any two, nor any one
    /// with its consequences (a whole election), and still fail.
    @Test func aShrunkScheduleHasNoStepNorPairOfStepsToSpare() throws {
        let options = Self.options(unsafe: .commitOldTerms, runs: 300, steps: 10_000)
        let failure = try #require(Simulation.run(options: options).failure)
        let shrinker = Shrinker(options: options, property: failure.violation.property)
        let shrunk = try #require(try shrinker.shrink(failure.steps)).steps
        #expect(shrunk.count <= 40)
        let schedule = try CausalSchedule(replaying: shrunk, options: options)
        for first in shrunk.indices {
            let withoutConsequences = try schedule.replay(keeping: { $0 != first }, options: options)
            #expect(withoutConsequences.violation?.property != failure.violation.property, "step \(first + 1) and its consequences are not needed")
            var without = shrunk
            without.remove(at: first)
            #expect(try shrinker.replay(without) == nil, "step \(first + 1) is not needed")
            for second in (first + 1)..<shrunk.count {
                var withoutBoth = shrunk
                withoutBoth.remove(at: second)
                withoutBoth.remove(at: first)
                #expect(try shrinker.replay(withoutBoth) == nil, "steps \(first + 1) and \(second + 1) are not needed")
            }
        }
    }

    @Test func stepsAreCommands() {
        let name: (ServerID) -> String = { "s\($0.index + 1)" }
        let a = ServerID(0), b = ServerID(2)
        #expect(Step.deliver(from: a, to: b, position: 0).command(name) == "deliver s1->s3")
        #expect(Step.deliver(from: a, to: b, position: 2).command(name) == "deliver s1->s3 nth 3")
        #expect(Step.duplicate(from: a, to: b, position: 0).command(name) == "duplicate s1->s3")
        #expect(Step.drop(from: b, to: a, position: 1).command(name) == "drop s3->s1 nth 2")
        #expect(Step.partition([[a, b]]).command(name) == "partition s1 s3")
        #expect(Step.submit(a, "v3").command(name) == "submit s1 v3")
        for step in [Step.timeout(a), .heartbeat(a), .heal, .crash(b), .restart(b)] {
            #expect(throws: Never.self) { try Parser.parse(step.command(name)) }
        }
    }

    @Test func aStepThatCannotHappenChangesNothing() throws {
        var cluster = try Cluster(size: 3)
        var trace = Trace(recording: false)
        let before = cluster
        #expect(try !Step.deliver(from: ServerID(0), to: ServerID(1), position: 0).apply(to: &cluster, trace: &trace))
        #expect(try !Step.heartbeat(ServerID(0)).apply(to: &cluster, trace: &trace))
        #expect(try !Step.submit(ServerID(0), "x").apply(to: &cluster, trace: &trace))
        #expect(cluster == before)
    }
}
