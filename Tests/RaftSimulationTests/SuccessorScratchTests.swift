import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// The scratch cluster in which a search steps every successor
/// (`SuccessorScratch`) must give, for every step of every state, the very
/// cluster that stepping a whole copy of the state gives: a part of the state
/// it failed to bring back would leak from one successor into the next.
@Suite(.timeLimit(.minutes(3)))
struct SuccessorScratchTests {
    /// Walks a search's states as `Explorer.explore` does (restored from the
    /// queue into one cluster, the servers it rebuilt told to the scratch) and
    /// checks each successor against a copy of the state stepped the same way.
    /// Returns the states expanded.
    static func compareSuccessors(_ options: ExploreOptions, configure: (inout Configuration) -> Void, states limit: Int) throws -> Int {
        let explorer = Explorer(options: options)
        var start = try Cluster(size: options.servers)
        start.configure(configure)
        start.keepsTime = false
        start.listsLinks = false
        var queue = StateQueue()
        var values = ValueTable()
        var visited = FingerprintSet()
        _ = visited.insert(start.fingerprint(symmetry: false, extra: 0).canonical)
        queue.push(.init(index: 0, depth: 0, submitted: 0), state: start, values: &values)

        var state = start
        var restored = RestoredServers()
        var scratch = SuccessorScratch(state)
        var trace = Trace(recording: false)
        var steps: [Step] = []
        var expanded = 0
        while expanded < limit, let entry = queue.pop(into: &state, values: values, keeping: &restored) {
            expanded += 1
            explorer.successors(of: state, submitted: entry.submitted, into: &steps)
            scratch.expand(restoring: restored.rebuilt)
            for step in steps {
                var copy = state
                let copyStepped = try step.apply(to: &copy, trace: &trace)
                let scratchStepped = try scratch.step(step, from: state, trace: &trace)
                // `#require`: one difference is enough, and would repeat in every later state.
                try #require(scratchStepped == copyStepped, "\(step)")
                guard copyStepped else { continue }
                try #require(scratch.cluster == copy, "after \(step)")
                let submitted = entry.submitted + (step.isClientRequest ? 1 : 0)
                guard visited.insert(copy.fingerprint(symmetry: false, extra: UInt64(submitted)).canonical),
                    copy.safety.violations.isEmpty, explorer.withinBounds(copy)
                else { continue }
                queue.push(.init(index: 0, depth: entry.depth + 1, submitted: submitted), state: copy, values: &values)
            }
        }
        return expanded
    }

    /// Terms up to 2, logs up to 1, up to 4 in flight, one client value, crashes.
    static func options(_ extra: (inout ExploreOptions) -> Void) -> ExploreOptions {
        var options = ExploreOptions()
        options.maxTerm = 2
        options.maxLog = 1
        options.maxInFlight = 4
        options.clients = 1
        options.crashes = true
        extra(&options)
        return options
    }

    @Test func everySuccessorIsTheCopyStepped() throws {
        let options = Self.options { $0.drops = true; $0.duplicates = true }
        let expanded = try Self.compareSuccessors(options, configure: { _ in }, states: 3_000)
        #expect(expanded == 3_000)
    }

    @Test func everySuccessorIsTheCopySteppedWithTheElectionExtensions() throws {
        let options = Self.options { $0.cuts = true; $0.transfers = true; $0.prevote = true; $0.checkQuorum = true }
        let expanded = try Self.compareSuccessors(options, configure: { $0.prevote = true; $0.checkQuorum = true }, states: 3_000)
        #expect(expanded == 3_000)
    }
}
