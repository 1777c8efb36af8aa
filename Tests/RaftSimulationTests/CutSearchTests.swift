@testable import RaftCluster
import RaftCore
import RaftScript
import Testing

@testable import RaftSimulation

/// `simulate --cuts` and `explore --cuts`: one-way cuts and heals as events.
/// The correct algorithm stays safe with them; every broken rule is still found,
/// and a schedule with cuts replays as steps, as codes and as a script.
@Suite(.timeLimit(.minutes(3)))
struct CutSearchTests {
    static func simulation(unsafe: UnsafeVariant? = nil, runs: Int = 20, steps: Int = 2_000) -> SimulationOptions {
        var options = SimulationTests.options(unsafe: unsafe, runs: runs, steps: steps)
        options.cuts = true
        return options
    }

    @Test func cutsAndHealsAreDrawnOnlyWhenAskedFor() throws {
        for cuts in [false, true] {
            var options = Self.simulation()
            options.cuts = cuts
            var cluster = try options.freshCluster()
            var scheduler = RandomScheduler(options: options, seed: 3)
            var trace = Trace(recording: false)
            var (cutSteps, heals) = (0, 0)
            for step in 0..<5_000 {
                guard let choice = scheduler.next(in: &cluster, step: step) else { continue }
                let step = choice.step(in: cluster)
                guard try choice.apply(to: &cluster, trace: &trace) else { continue }
                if case .cut = step { cutSteps += 1 }
                if case .healCut = step { heals += 1 }
            }
            #expect((cutSteps > 0 && heals > 0) == cuts, "cuts \(cuts): \(cutSteps) cuts, \(heals) heals")
        }
    }

    /// Without `--cuts` a run draws the weights it drew before cuts existed
    /// (seven of them), so every seed stands for the run it stood for; with
    /// `--cuts` one more is drawn after them.
    @Test func aRunWithoutCutsDrawsWhatItDrewBefore() {
        var reference = SeededGenerator(seed: 11)
        for range in [1...4, 1...3, 30...100, 1...6, 2...10, 0...2, 1...6] { _ = reference.draw(range) }
        #expect(RandomScheduler(options: SimulationTests.options(), seed: 11).random == reference)
        _ = reference.draw(1...3)
        #expect(RandomScheduler(options: Self.simulation(), seed: 11).random == reference)
    }

    @Test func theCorrectAlgorithmStaysSafeWithCuts() {
        var options = Self.simulation(runs: 20, steps: 3_000)
        options.loss = 0.05
        options.duplicate = 0.05
        let report = Simulation.run(options: options)
        #expect(report.failure == nil)
        #expect(report.statistics.runs == 20)
    }

    @Test(arguments: UnsafeVariant.allCases)
    func everyUnsafeVariantIsStillFoundWithCuts(variant: UnsafeVariant) throws {
        let options = Self.simulation(unsafe: variant, runs: 300, steps: 5_000)
        let report = Simulation.run(options: options)
        let failure = try #require(report.failure)
        var shrinker = Shrinker(options: options, property: failure.violation.property)
        shrinker.maxReplays = 300
        let shrunk = try #require(try shrinker.shrink(failure.steps))
        #expect(shrunk.violation.property == failure.violation.property)
        let text = Counterexample.script(steps: shrunk.steps, violation: shrunk.violation, servers: options.servers, unsafe: options.unsafe, header: ["test"])
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: try Interpreter()) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        #expect(runner.run(script: text, named: "cx.raftscript").exitStatus == 1)
        #expect(diagnostics.count == 1 && diagnostics[0].contains("expect failed: not safe: \(shrunk.violation.property)"), "\(diagnostics)")
    }

    /// A schedule with cuts in it, written as a script, fails where its steps do:
    /// the cuts are replayed (without them the messages would get through).
    @Test func aScheduleWithCutsReplaysAsStepsCodesAndAScript() throws {
        let (s1, s2, s3) = (ServerID(0), ServerID(1), ServerID(2))
        let steps: [Step] = [.cut(from: s1, to: s3), .timeout(s1), .healCut(from: s1, to: s3), .cut(from: s2, to: s1), .timeout(s3)]
        for step in steps {
            #expect(Step(code: step.code, submitted: 0) == step)
        }
        #expect(Step(code: Step.crash(s2).code, submitted: 0) == .crash(s2))
        #expect(Step(code: Step.restart(s3).code, submitted: 0) == .restart(s3))
        let name: (ServerID) -> String = { "s\($0.index + 1)" }
        #expect(steps.map { $0.command(name) } == ["cut s1->s3", "timeout s1", "heal s1->s3", "cut s2->s1", "timeout s3"])

        var cluster = try Cluster(size: 3)
        var trace = Trace(recording: false)
        for step in steps { #expect(try step.apply(to: &cluster, trace: &trace)) }
        #expect(cluster.network.messages.map { "\(name($0.from))->\(name($0.to))" } == ["s1->s2", "s3->s1", "s3->s2"])
        // A cut of a link cut already, or a heal of one that is not, cannot happen.
        let before = cluster
        #expect(try !Step.cut(from: s2, to: s1).apply(to: &cluster, trace: &trace))
        #expect(try !Step.healCut(from: s1, to: s3).apply(to: &cluster, trace: &trace))
        #expect(cluster == before)

        var runner = ScriptRunner(interpreter: try Interpreter(servers: 3)) { _ in }
        #expect(runner.run(script: steps.map { $0.command(name) }.joined(separator: "\n"), named: "s").exitStatus == 0)
        #expect(runner.interpreter.cluster.network.messages.map(\.envelope) == cluster.network.messages.map(\.envelope))
        #expect(runner.interpreter.cluster.cuts == cluster.cuts)
    }

    @Test func exploreWithCutsIsSafeAndSymmetryStillLosesNothing() throws {
        var options = ExplorerTests.options(maxTerm: 1, maxLog: 0, maxInFlight: 2)
        options.servers = 2
        options.cuts = true
        let reduced = try Explorer(options: options).explore(from: try Cluster(size: 2))
        #expect(reduced.failure == nil)
        options.symmetry = false
        let full = try Explorer(options: options).explore(from: try Cluster(size: 2))
        #expect(full.statistics.distinct == reduced.statistics.unreduced)
        options.cuts = false
        let without = try Explorer(options: options).explore(from: try Cluster(size: 2))
        #expect(full.statistics.distinct > without.statistics.distinct, "cuts widen the search")
    }

    @Test(arguments: ExplorerTests.variants)
    func exploreWithCutsStillFindsEveryUnsafeVariant(variant: UnsafeVariant, bounds: ExploreOptions) throws {
        var options = bounds
        options.unsafe = variant
        options.cuts = true
        var start = try Cluster(size: 3)
        start.configure { $0.setUnsafe(variant, true) }
        let report = try Explorer(options: options).explore(from: start)
        let failure = try #require(report.failure)
        let text = Counterexample.script(steps: failure.steps, violation: failure.violation, servers: 3, unsafe: variant, header: [])
        var runner = ScriptRunner(interpreter: try Interpreter()) { _ in }
        #expect(runner.run(script: text, named: "cx").exitStatus == 1)
    }
}
