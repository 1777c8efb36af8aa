@testable import RaftCluster
import RaftCore
import RaftScript
import Testing

@testable import RaftSimulation

/// Exhaustive search: exact state counts that a protocol change would move, symmetry
/// that loses nothing, and shortest counterexamples that replay.
@Suite(.timeLimit(.minutes(3)))
struct ExplorerTests {
    static func options(maxTerm: Int = 2, maxLog: Int = 0, maxInFlight: Int = 3, clients: Int = 0) -> ExploreOptions {
        var options = ExploreOptions()
        options.maxTerm = maxTerm
        options.maxLog = maxLog
        options.maxInFlight = maxInFlight
        options.clients = clients
        return options
    }

    /// Pinned counts: a change to the protocol or to what the search may do moves them.
    @Test func aSmallBoundedSpaceHasAnExactSize() throws {
        let report = try Explorer(options: Self.options()).explore(from: try Cluster(size: 3))
        #expect(report.failure == nil)
        #expect(report.statistics.distinct == 638)
        #expect(report.statistics.unreduced == 3787)
        #expect(report.statistics.depth == 22)
    }

    /// Every state a renaming stands for is a state the unreduced search reaches, and no more.
    @Test func symmetryReductionLosesNothing() throws {
        var options = Self.options(maxTerm: 1, maxLog: 1, clients: 1)
        let reduced = try Explorer(options: options).explore(from: try Cluster(size: 3))
        options.symmetry = false
        let full = try Explorer(options: options).explore(from: try Cluster(size: 3))
        #expect(reduced.statistics.unreduced == full.statistics.distinct)
        #expect(full.statistics.distinct == 7405)
        #expect(reduced.statistics.distinct == 1247)
    }

    /// Crashes, restarts, drops and duplicates widen the search; symmetry still loses nothing.
    @Test func faultsWidenTheSearchAndSymmetryStillLosesNothing() throws {
        var options = Self.options(maxTerm: 1, maxLog: 1, maxInFlight: 2, clients: 1)
        options.servers = 2
        options.crashes = true
        options.drops = true
        options.duplicates = true
        let reduced = try Explorer(options: options).explore(from: try Cluster(size: 2))
        #expect(reduced.failure == nil)
        #expect(reduced.statistics.distinct == 1585)
        #expect(reduced.statistics.unreduced == 3161)
        options.symmetry = false
        #expect(try Explorer(options: options).explore(from: try Cluster(size: 2)).statistics.distinct == 3161)
    }

    /// Bounds small enough for a debug build, large enough for each broken rule to show.
    static let variants: [(UnsafeVariant, ExploreOptions)] = [
        (.voteTwice, options(maxTerm: 1, maxLog: 0, maxInFlight: 4)),
        (.keepStaleTerm, options(maxTerm: 2, maxLog: 1, maxInFlight: 3, clients: 1)),
        (.noUpToDateCheck, options(maxTerm: 2, maxLog: 1, maxInFlight: 3, clients: 1)),
        (.truncateAlways, options(maxTerm: 2, maxLog: 1, maxInFlight: 3, clients: 1)),
    ]

    @Test(arguments: variants)
    func unsafeVariantsAreFoundWithAShortestReplayableSchedule(variant: UnsafeVariant, bounds: ExploreOptions) throws {
        var options = bounds
        options.unsafe = variant
        var start = try Cluster(size: 3)
        start.configure { $0.setUnsafe(variant, true) }
        let report = try Explorer(options: options).explore(from: start)
        let failure = try #require(report.failure)
        #expect(failure.steps.count == report.statistics.depth)

        let text = Counterexample.script(steps: failure.steps, violation: failure.violation, servers: 3, unsafe: variant, header: [])
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: try Interpreter()) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        #expect(runner.run(script: text, named: "cx").exitStatus == 1)
        #expect(diagnostics == ["cx:\(failure.steps.count + 5): expect failed: not safe: \(failure.violation.describe { "s\($0.index + 1)" })"])

        // The correct algorithm is safe within the same bounds.
        var safe = bounds
        safe.unsafe = nil
        #expect(try Explorer(options: safe).explore(from: try Cluster(size: 3)).failure == nil)
    }

    @Test func nextPermutationVisitsEveryOrderOfARangeOnce() {
        var items = [9, 0, 1, 2, 3, 9]
        var seen: Set<[Int]> = [items]
        var steps = 0
        while steps < 100, items.nextPermutation(in: 1..<5) {
            steps += 1
            seen.insert(items)
        }
        #expect(steps == 23)
        #expect(seen.count == 24)
        #expect(items == [9, 0, 1, 2, 3, 9])
        #expect(seen.allSatisfy { $0.first == 9 && $0.last == 9 })
    }
}
