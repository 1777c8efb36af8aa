@testable import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// A requested stop ends a search or a set of runs early, with what was done counted.
@Suite(.timeLimit(.minutes(3)))
struct StopRequestTests {
    @Test func aSearchStoppedPartWayReportsWhatItSearched() throws {
        // Millions of states: only the stop ends it in time.
        let options = ExplorerTests.options(maxTerm: 2, maxLog: 1, maxInFlight: 8, clients: 1)
        let stop = StopRequest()
        var calls = 0
        let partial = try Explorer(options: options).explore(from: try Cluster(size: 3), stop: stop) { _ in
            calls += 1
            stop.request()
        }
        #expect(calls == 1)
        #expect(partial.stopped)
        #expect(partial.failure == nil)
        #expect(partial.statistics.distinct > 1)
        #expect(partial.statistics.queued > 0)
    }

    @Test func aSearchAskedToStopBeforeItStartsExpandsNothing() throws {
        let stop = StopRequest()
        stop.request()
        let report = try Explorer(options: ExplorerTests.options()).explore(from: try Cluster(size: 3), stop: stop)
        #expect(report.stopped)
        #expect(report.statistics.distinct == 1)
        #expect(report.statistics.generated == 0)
    }

    @Test func runsStoppedPartWayCountTheirEventsAsUnfinished() {
        var options = SimulationOptions()
        options.steps = 1_000
        options.runs = 10
        options.jobs = 2
        let stop = StopRequest()
        let report = Simulation.run(options: options, stop: stop) { _ in }
        #expect(!report.stopped)  // nothing asked it to stop: all ten runs
        #expect(report.statistics.runs == 10)

        options.runs = 1_000
        options.steps = 10_000
        let stopped = Simulation.run(options: options, stop: stop) { statistics in
            if statistics.runs >= 3 { stop.request() }
        }
        #expect(stopped.stopped)
        #expect(stopped.statistics.runs >= 3)
        #expect(stopped.statistics.runs < 1_000)
        #expect(stopped.statistics.events >= 3 * 10_000)
    }

    @Test func aLongRunStopsWithinAFewThousandEvents() {
        var options = SimulationOptions()
        options.steps = 100_000_000
        options.runs = 1
        let stop = StopRequest()
        stop.request()
        let report = Simulation.run(options: options, stop: stop)
        // Asked before it started: no run starts.
        #expect(report.stopped)
        #expect(report.statistics.runs == 0)
        let (statistics, failure) = try! Simulation.run(seed: 1, options: options, stop: stop)
        #expect(failure == nil)
        #expect(statistics.runs == 0)
        #expect(statistics.unfinished == 1)
        #expect(statistics.events <= 4096)
    }
}
