@testable import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// What a large cluster's random schedule keeps in flight: each timeout sends a
/// RequestVote to every other server, so unless deliveries keep pace the network
/// grows by size² messages a round of timeouts (a 1000-server run of 10⁶ events
/// once held gigabytes of them).
@Suite(.timeLimit(.minutes(3)))
struct LargeClusterTests {
    /// The most messages in flight at once during `events` events of a run.
    static func peakInFlight(servers: Int, events: Int, seed: UInt64 = 1) throws -> Int {
        var options = SimulationOptions()
        options.servers = servers
        var cluster = try options.freshCluster()
        var scheduler = RandomScheduler(options: options, seed: seed)
        var trace = Trace(recording: false)
        var peak = 0
        for step in 0..<events {
            guard let choice = scheduler.next(in: &cluster, step: step) else { continue }
            _ = try choice.apply(to: &cluster, trace: &trace)
            peak = max(peak, cluster.network.count)
        }
        return peak
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func messagesInFlightGrowWithTheClusterNotItsSquare(seed: UInt64) throws {
        let small = try Self.peakInFlight(servers: 40, events: 20_000, seed: seed)
        let large = try Self.peakInFlight(servers: 160, events: 20_000, seed: seed)
        // A few rounds of RequestVotes at most: linear in the size.
        #expect(small <= 10 * 40, "\(small)")
        #expect(large <= 10 * 160, "\(large)")
    }
}
