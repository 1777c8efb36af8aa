import RaftCluster
import Synchronization
import Testing

@testable import RaftSimulation

/// A run long enough to outlast the progress line's interval shows progress
/// before it ends, not only when it is done.
@Suite(.timeLimit(.minutes(3)))
struct SimulationProgressTests {
    @Test func aRunStillGoingIsCountedInTheProgress() {
        var options = SimulationOptions()
        options.steps = 5 * Simulation.stepsBetweenReports
        options.runs = 1
        let heard = Mutex<[Simulation.Statistics]>([])
        let report = Simulation.run(options: options) { soFar in heard.withLock { $0.append(soFar) } }
        let figures = heard.withLock { $0 }
        let underWay = figures.filter { $0.runs == 0 }
        // Reported at steps 0, 4096, …, 16384, then once at the run's end.
        #expect(underWay.count == 5)
        #expect(underWay.map(\.events) == underWay.map(\.events).sorted())
        #expect(underWay.last!.events > 3 * Simulation.stepsBetweenReports)
        #expect(underWay.last!.elections > 0)
        #expect(figures.last!.runs == 1)
        #expect(figures.last!.events == report.statistics.events)
        #expect(underWay.allSatisfy { $0.events <= report.statistics.events })
    }

    @Test func aRunReportsWhatItHasDoneSoFar() throws {
        var options = SimulationOptions()
        options.steps = 3 * Simulation.stepsBetweenReports
        var said: [(Int, Int)] = []
        let (statistics, _) = try Simulation.run(seed: 3, options: options) { cluster, events in
            said.append((events, cluster.safety.electedTerms))
        }
        #expect(said.map(\.0).first == 0)
        #expect(said.count == 3)
        #expect(said.last!.0 < statistics.events)
        #expect(said.last!.1 <= statistics.elections)
    }
}
