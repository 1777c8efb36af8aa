import RaftCluster
import RaftCore
import RaftScript

// Issue 3's speed goals, each driven through RaftCluster's API and through the
// RaftScript interpreter (parsing each command once, as a script loop would not
// matter next to the cluster work, but `Interpreter.run` does its own per-command work).

/// `flood`: `timeout s1` fired `timeouts` times on 5 servers, then `settle`.
/// Every timeout sends four RequestVotes of a newer term, so settle delivers them
/// all, their responses, and finally s1's AppendEntries as leader and their responses.
func runFlood(timeouts: Int) -> Measurement {
    Measurement("flood (5 servers, timeout s1 ×\(format(timeouts)) + settle, RaftCluster)") {
        var cluster = try! Cluster(size: 5)
        var trace = Trace(recording: false)
        let s1 = ServerID(0)
        for _ in 0..<timeouts { try! cluster.timeout(s1, trace: &trace) }
        let delivered = try! cluster.settle(maxDeliveries: .max, trace: &trace)
        checkFlood(cluster, timeouts: timeouts)
        return [(delivered, "deliveries")]
    }
}

func runFloodScript(timeouts: Int) -> Measurement {
    Measurement("flood-script (5 servers, timeout s1 ×\(format(timeouts)) + settle, Interpreter)") {
        var interpreter = try! Interpreter(servers: 5)
        let timeout = try! Parser.parse("timeout s1")!
        let settle = try! Parser.parse("settle \(NumberRange.deliveries.upperBound)")!
        for _ in 0..<timeouts { _ = try! interpreter.run(timeout) }
        let before = interpreter.cluster.deliveries
        _ = try! interpreter.run(settle)
        checkFlood(interpreter.cluster, timeouts: timeouts)
        return [(interpreter.cluster.deliveries - before, "deliveries")]
    }
}

private func checkFlood(_ cluster: Cluster, timeouts: Int) {
    let s1 = cluster[ServerID(0)]
    guard s1.role.kind == .leader, s1.currentTerm == timeouts, cluster.network.isEmpty else {
        fail("flood: s1 is \(s1.role.kind) of term \(s1.currentTerm), \(cluster.network.count) in flight")
    }
}

/// `election-1000`: a fresh 1000-server cluster, `timeout s1`, `settle`.
func runLargeElection(servers: Int) -> Measurement {
    Measurement("election-\(servers) (timeout s1 + settle, RaftCluster)") {
        var cluster = try! Cluster(size: servers)
        var trace = Trace(recording: false)
        try! cluster.timeout(ServerID(0), trace: &trace)
        let delivered = try! cluster.settle(maxDeliveries: .max, trace: &trace)
        checkElection(cluster, servers: servers)
        return [(delivered, "deliveries")]
    }
}

func runLargeElectionScript(servers: Int) -> Measurement {
    Measurement("election-\(servers)-script (timeout s1 + settle, Interpreter)") {
        var interpreter = try! Interpreter(servers: servers)
        _ = try! interpreter.run(Parser.parse("timeout s1")!)
        _ = try! interpreter.run(Parser.parse("settle")!)
        checkElection(interpreter.cluster, servers: servers)
        return [(interpreter.cluster.deliveries, "deliveries")]
    }
}

private func checkElection(_ cluster: Cluster, servers: Int) {
    guard cluster.liveLeaders == [ServerID(0)], cluster.network.isEmpty, cluster.size == servers else {
        fail("election: leaders \(cluster.liveLeaders), \(cluster.network.count) in flight")
    }
}
