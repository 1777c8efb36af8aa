import RaftCore
import Testing

@testable import RaftCluster

/// Partitions and crashes drop what crosses them, now and later.
@Suite(.timeLimit(.minutes(3)))
struct PartitionCrashTests {
    @Test func partitionDropsInFlightAndLaterMessagesBetweenGroups() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1")
        try cluster.timeout(s1, trace: &trace)
        try cluster.partition([[s1, cluster.id("s2")], [cluster.id("s3")]], trace: &trace)
        // s4 and s5 form the third group: only s1->s2 survives.
        #expect(cluster.kinds == ["s1->s2 RequestVote"])
        try cluster.settle(maxDeliveries: 100, trace: &trace)
        #expect(cluster[s1].role.kind == .candidate)
        try cluster.timeout(s1, trace: &trace)
        #expect(cluster.kinds == ["s1->s2 RequestVote"])
    }

    /// The cluster keeps its counts of servers up and of live leaders as it goes; a
    /// long random walk through elections, step-downs, crashes, restarts and
    /// restored snapshots must always agree with counting them afresh.
    @Test func theUpAndLiveLeaderCountsFollowEveryChange() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        var random = SeededGenerator(seed: 5)
        var sawLeader = false, sawLeaderCrash = false
        for _ in 0..<20_000 {
            let id = ServerID(random.below(3))
            switch random.below(10) {
            case 0: _ = try? cluster.timeout(id, trace: &trace)
            case 1:
                sawLeaderCrash = sawLeaderCrash || cluster.isLiveLeader(id)
                _ = try? cluster.crash(id, trace: &trace)
            case 2: _ = try? cluster.restart(id)
            case 3:
                let stored = cluster
                cluster.restoreStoredState(
                    server: { (stored.servers[$0.index], stored.isUp[$0.index]) },
                    program: { stored.programStates[$0.index] },
                    inFlight: { send in stored.network.forEachInFlight { send($0.envelope, stored.ownFields(of: $0.envelope)) } },
                    safety: { stored.safety },
                    cutLinks: { stored.cuts.links }
                )
            default:
                if let sequence = cluster.network.randomSequence(using: &random, tries: 8) {
                    try cluster.deliver(sequence: sequence, trace: &trace)
                }
            }
            #expect(cluster.liveLeaderCount == cluster.liveLeaders.count)
            #expect(cluster.hasLiveLeader == !cluster.liveLeaders.isEmpty)
            #expect(cluster.upCount == cluster.isUp.count { $0 })
            sawLeader = sawLeader || cluster.hasLiveLeader
        }
        #expect(sawLeader && sawLeaderCrash)
    }

    /// Random schedules partition with a set; it must do exactly what
    /// `partition([members])` does, from a whole network or an already split one:
    /// the same groups, the same messages lost, recorded the same way.
    @Test func partitionIsolatingASetIsPartitionOfThatOneGroup() throws {
        var random = SeededGenerator(seed: 11)
        var cluster = Cluster.fresh()
        var trace = quiet
        var checked = 0
        for round in 0..<300 {
            _ = try? cluster.timeout(ServerID(random.below(5)), trace: &trace)
            for _ in 0..<random.below(4) {
                if let sequence = cluster.network.randomSequence(using: &random, tries: 8) {
                    try cluster.deliver(sequence: sequence, trace: &trace)
                }
            }
            if round % 3 == 0 { cluster.heal() }
            var members = ServerSet()
            for index in 0..<5 where random.coinFlip() { members.insert(ServerID(index)) }
            var byList = cluster, bySet = cluster
            var listTrace = Trace(recording: true), setTrace = Trace(recording: true)
            try byList.partition([members.members], trace: &listTrace)
            bySet.partition(isolating: members, trace: &setTrace)
            #expect(bySet.groups == byList.groups)
            #expect(bySet.network == byList.network)
            #expect(setTrace.events == listTrace.events)
            checked += listTrace.events.isEmpty ? 0 : 1
            cluster = bySet
        }
        #expect(checked > 20, "partitions that cut messages in flight")
    }

    /// A heal keeps the group list for the next split to reuse; a cluster that was
    /// split and healed is still equal to, and hashes as, one that never was.
    @Test func aHealedClusterEqualsOneNeverSplit() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        cluster.partition(isolating: ServerSet([cluster.id("s2")]), trace: &trace)
        cluster.heal()
        #expect(cluster.groups == nil)
        #expect(cluster == Cluster.fresh())
        #expect(cluster.hashValue == Cluster.fresh().hashValue)
        cluster.partition(isolating: ServerSet([cluster.id("s4"), cluster.id("s5")]), trace: &trace)
        #expect(cluster.groups == [1, 1, 1, 0, 0])
    }

    @Test func aServerInTwoGroupsIsAnError() {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1")
        #expect(throws: ClusterError.serverInTwoGroups("s1")) {
            try cluster.partition([[s1], [cluster.id("s2"), s1]], trace: &trace)
        }
    }

    @Test func healRestoresLinksButNothingLostComesBack() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.partition([[cluster.id("s1")]], trace: &trace)
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        #expect(cluster.network.isEmpty)
        cluster.heal()
        #expect(cluster.network.isEmpty)
        try cluster.elect("s1")
        #expect(cluster[cluster.id("s1")].role.kind == .leader)
    }

    @Test func crashDropsMessagesToTheServerButKeepsWhatItSent() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.timeout(s1, trace: &trace)
        try cluster.timeout(s2, trace: &trace)
        try cluster.crash(s2, trace: &trace)
        #expect(cluster.network.count(from: s1, to: s2) == 0)
        #expect(cluster.network.count(from: s2, to: s1) == 1)
        try cluster.deliver(from: s2, to: s1, count: 1, trace: &trace)
        // s1 refuses (it voted for itself); the reply to the crashed s2 is dropped.
        #expect(cluster.network.count(from: s1, to: s2) == 0)
        #expect(throws: ClusterError.serverDown("s2")) { try cluster.crash(s2, trace: &trace) }
        #expect(throws: ClusterError.serverDown("s2")) { try cluster.timeout(s2, trace: &trace) }
    }

    @Test func restartKeepsPersistentStateOnly() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.elect("s1")
        let s1 = cluster.id("s1")
        _ = try cluster.submit("x", to: s1, trace: &trace)
        try cluster.settle(maxDeliveries: 100, trace: &trace)
        try cluster.crash(s1, trace: &trace)
        try cluster.restart(s1)
        let server = cluster[s1]
        #expect(server.role == .follower)
        #expect(server.currentTerm == 1)
        #expect(server.votedFor == s1)
        #expect(server.log.terms == [1])
        #expect(server.commitIndex == 0)
        #expect(throws: ClusterError.serverUp("s1")) { try cluster.restart(s1) }
    }

    @Test func leaderReferenceIsTheLiveLeaderWithTheHighestTerm() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        #expect(throws: ClusterError.noLeader) { try cluster.leader() }
        try cluster.elect("s1")
        #expect(try cluster.leader() == cluster.id("s1"))
        // s1 cut off; s2 wins term 2 among the rest; both are LEADER.
        try cluster.partition([[cluster.id("s1")]], trace: &trace)
        try cluster.elect("s2")
        #expect(cluster.liveLeaders.count == 2)
        #expect(try cluster.leader() == cluster.id("s2"))
        try cluster.crash(cluster.id("s2"), trace: &trace)
        #expect(try cluster.leader() == cluster.id("s1"))
    }

    @Test func clusterSizesAndNamesAreChecked() {
        #expect(throws: ClusterError.badClusterSize(0)) { try Cluster(size: 0) }
        #expect(throws: ClusterError.badClusterSize(1001)) { try Cluster(size: 1001) }
        #expect(throws: ClusterError.duplicateName("a")) { try Cluster(names: ["a", "b", "a"]) }
    }

    @Test func timeoutOfALeaderAndHeartbeatOfAFollowerAreErrors() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.elect("s1")
        #expect(throws: ClusterError.isLeader("s1")) { try cluster.timeout(cluster.id("s1"), trace: &trace) }
        #expect(throws: ClusterError.notLeader("s2")) { try cluster.heartbeat(cluster.id("s2"), trace: &trace) }
    }
}
