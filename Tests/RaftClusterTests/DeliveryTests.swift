import RaftCore
import Testing

@testable import RaftCluster

/// Messages move only when told, in the order they were sent.
@Suite(.timeLimit(.minutes(3)))
struct DeliveryTests {
    @Test func timeoutPutsRequestVoteInFlightInClusterOrder() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.timeout(cluster.id("s3"), trace: &trace)
        #expect(cluster.kinds == ["s3->s1 RequestVote", "s3->s2 RequestVote", "s3->s4 RequestVote", "s3->s5 RequestVote"])
        #expect(cluster.network.messages.map(\.sequence) == [0, 1, 2, 3])
    }

    @Test func deliverTakesTheOldestOnTheLink() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.timeout(s1, trace: &trace)
        try cluster.setTerm(s1, to: 5)
        try cluster.timeout(s1, trace: &trace)  // a second RequestVote s1->s2, term 6
        #expect(cluster.network.count(from: s1, to: s2) == 2)
        try cluster.deliver(from: s1, to: s2, count: 1, trace: &trace)
        #expect(cluster[s2].currentTerm == 1)  // the term-1 request came first
        try cluster.deliver(from: s1, to: s2, count: 1, trace: &trace)
        #expect(cluster[s2].currentTerm == 6)
    }

    @Test func deliverWithNothingOnTheLinkIsAnError() {
        var cluster = Cluster.fresh()
        var trace = quiet
        #expect(throws: ClusterError.noMessage(from: "s1", to: "s2")) {
            try cluster.deliver(from: cluster.id("s1"), to: cluster.id("s2"), count: 1, trace: &trace)
        }
    }

    @Test func deliverMoreThanInFlightDeliversNothing() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        let before = cluster
        #expect(throws: ClusterError.notEnoughMessages(from: "s1", to: "s2", inFlight: 1, wanted: 2)) {
            try cluster.deliver(from: cluster.id("s1"), to: cluster.id("s2"), count: 2, trace: &trace)
        }
        #expect(cluster == before)
    }

    @Test func deliverAllLeavesRepliesInFlightButSettleDeliversThem() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        #expect(try cluster.deliverAll(trace: &trace) == 4)
        #expect(cluster.kinds == [
            "s2->s1 RequestVoteResponse", "s3->s1 RequestVoteResponse",
            "s4->s1 RequestVoteResponse", "s5->s1 RequestVoteResponse",
        ])
        var settled = cluster
        #expect(try settled.settle(maxDeliveries: 100, trace: &trace) == 12)
        #expect(settled.network.isEmpty)
        #expect(settled[settled.id("s1")].role.kind == .leader)
        // deliver all again: the four votes; s1 wins on the third and its AppendEntries stay in flight
        try cluster.deliverAll(trace: &trace)
        #expect(cluster[cluster.id("s1")].role.kind == .leader)
        #expect(cluster.network.count == 4)
    }

    @Test func settleStopsAtItsBoundWithAnError() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        #expect(throws: ClusterError.settleBoundReached(deliveries: 5, inFlight: 3)) {
            try cluster.settle(maxDeliveries: 5, trace: &trace)
        }
        var exact = Cluster.fresh()
        try exact.timeout(exact.id("s1"), trace: &trace)
        #expect(try exact.settle(maxDeliveries: 16, trace: &trace) == 16)
    }

    @Test func deliverFromAndToTakeOnlyThatServersMessages() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        try cluster.timeout(cluster.id("s2"), trace: &trace)
        let s3 = cluster.id("s3")
        #expect(try cluster.deliverAll(where: { $0.to == s3 }, trace: &trace) == 2)
        #expect(cluster[s3].votedFor == cluster.id("s1"))  // s1 asked first
        #expect(cluster.network.count(from: s3, to: cluster.id("s1")) == 1)
        #expect(cluster.network.count(from: s3, to: cluster.id("s2")) == 1)
    }

    @Test func dropDiscardsWithoutHandling() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.timeout(s1, trace: &trace)
        try cluster.drop(from: s1, to: s2, count: nil, trace: &trace)
        #expect(cluster.network.count == 3)
        #expect(cluster[s2].currentTerm == 0)
        #expect(cluster.dropAll(trace: &trace) == 3)
        #expect(cluster.network.isEmpty)
    }

    @Test func anyMessageCanBeDeliveredBySequence() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        let last = cluster.network.messages[3]
        try cluster.deliver(sequence: last.sequence, trace: &trace)
        #expect(cluster[cluster.id("s5")].votedFor == cluster.id("s1"))
        #expect(cluster.network.oldest?.sequence == 0)
        #expect(cluster.kinds.last == "s5->s1 RequestVoteResponse")
    }

    /// Random schedules deliver to raftsh's own servers through the path that
    /// cannot fail; it must do exactly what `deliver(sequence:)` does: the same
    /// cluster after it (servers, network, safety history), recorded the same
    /// way, through elections, heartbeats, client requests, crashes and partitions.
    @Test func deliveryToOwnServerIsDeliver() throws {
        var random = SeededGenerator(seed: 23)
        var cluster = Cluster.fresh()
        var trace = quiet
        var delivered = 0, leaders = 0
        for _ in 0..<3_000 {
            let id = ServerID(random.below(5))
            switch random.below(40) {
            case 0: _ = try? cluster.timeout(id, trace: &trace)
            case 1...4: _ = try? cluster.submit("x=\(delivered)", to: id, trace: &trace)
            case 5: _ = try? cluster.crash(id, trace: &trace)
            case 6, 7: _ = try? cluster.restart(id)
            case 8:
                if random.coinFlip() {
                    cluster.heal()
                } else {
                    var group = ServerSet()
                    group.insert(id)
                    cluster.partition(isolating: group, trace: &trace)
                }
            case 9...12: _ = try? cluster.heartbeat(id, trace: &trace)
            default:
                guard let sequence = cluster.network.randomSequence(using: &random, tries: 8) else { continue }
                var general = cluster, own = cluster
                var generalTrace = Trace(recording: true), ownTrace = Trace(recording: true)
                try general.deliver(sequence: sequence, trace: &generalTrace)
                own.deliverToOwnServer(sequence: sequence, trace: &ownTrace)
                #expect(own == general)
                #expect(own.deliveries == general.deliveries)
                #expect(own.safety == general.safety)
                #expect(ownTrace.events == generalTrace.events)
                cluster = own
                delivered += 1
            }
            leaders += cluster.hasLiveLeader ? 1 : 0
        }
        #expect(delivered > 300 && leaders > 400, "deliveries \(delivered), steps with a leader \(leaders)")
        #expect(cluster.safety.committedCount > 10, "entries committed: \(cluster.safety.committedCount)")
    }
}
