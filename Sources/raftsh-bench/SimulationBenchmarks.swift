import RaftCluster
import RaftCore
import RaftSimulation

// Issue 6's speed goals, single-threaded.

/// `simulate`: what `raftsh simulate --jobs 1 --clients --crashes --partitions
/// --loss 0.05 --duplicate 0.05` does, every safety check on, over `runs` seeds.
func runSimulate(runs: Int) -> Measurement {
    var options = SimulationOptions()
    options.clients = true
    options.crashes = true
    options.partitions = true
    options.loss = 0.05
    options.duplicate = 0.05
    return Measurement("simulate (5 servers, \(format(runs)) runs × \(format(options.steps)) steps, all events, all checks)") {
        var events = 0
        for index in 0..<runs {
            let (statistics, failure) = try! Simulation.run(seed: options.seed &+ UInt64(index), options: options)
            if let failure { fail("simulate: seed \(failure.seed) broke \(failure.violation.property)") }
            events += statistics.events
        }
        return [(events, "events")]
    }
}

/// `elections`: a fresh 5-server cluster (a copy of one made beforehand, as a
/// search would snapshot it), `timeout s1`, `settle`, repeated.
func runElections(count: Int) -> Measurement {
    let fresh = try! Cluster(size: 5)
    return Measurement("elections (fresh 5-server cluster, timeout s1 + settle, ×\(format(count)))") {
        var trace = Trace(recording: false)
        var delivered = 0
        for _ in 0..<count {
            var cluster = fresh
            try! cluster.timeout(ServerID(0), trace: &trace)
            delivered += try! cluster.settle(maxDeliveries: .max, trace: &trace)
            guard cluster[ServerID(0)].role.kind == .leader else { fail("elections: s1 did not win") }
        }
        return [(count, "elections"), (delivered, "deliveries")]
    }
}
