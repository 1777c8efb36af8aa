import RaftCore
import Testing

@testable import RaftCluster

/// One-way link cuts (section 10): a cut link loses what is in flight on it and
/// everything sent on it later, until healed; the other direction and every
/// other link are untouched; cuts and partitions are independent.
@Suite(.timeLimit(.minutes(3)))
struct CutTests {
    @Test func aCutLosesWhatIsInFlightOnItsLinkOnly() throws {
        var cluster = Cluster.fresh()
        var trace = Trace(recording: true)
        try cluster.timeout(cluster.id("s1"), trace: &trace)
        let cut = try cluster.cut(from: cluster.id("s1"), to: cluster.id("s3"), trace: &trace)
        #expect(cut)
        #expect(cluster.kinds == ["s1->s2 RequestVote", "s1->s4 RequestVote", "s1->s5 RequestVote"])
        let lost = trace.events.compactMap { event -> String? in
            guard case let .dropped(envelope, .cut) = event else { return nil }
            return "\(cluster.name(envelope.from))->\(cluster.name(envelope.to))"
        }
        #expect(lost == ["s1->s3"])
    }

    @Test func aCutLosesLaterMessagesOneWayUntilHealed() throws {
        var cluster = Cluster.fresh(3)
        let (s1, s3) = (cluster.id("s1"), cluster.id("s3"))
        var trace = Trace(recording: true)
        try cluster.cut(from: s1, to: s3, trace: &trace)
        try cluster.timeout(s1, trace: &trace)
        #expect(cluster.kinds == ["s1->s2 RequestVote"])
        #expect(trace.events.contains { if case .dropped(_, .cut) = $0 { true } else { false } })
        // s3 still reaches s1.
        try cluster.timeout(s3, trace: &trace)
        #expect(cluster.kinds == ["s1->s2 RequestVote", "s3->s1 RequestVote", "s3->s2 RequestVote"])
        let healed = cluster.heal(from: s1, to: s3)
        let healedAgain = cluster.heal(from: s1, to: s3)
        #expect(healed)
        #expect(!healedAgain, "healing a link that is not cut says so")
        try cluster.timeout(s1, trace: &trace)
        #expect(cluster.kinds.last == "s1->s3 RequestVote")
    }

    @Test func cuttingALinkTwiceOrToItself() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        let (s1, s2) = (cluster.id("s1"), cluster.id("s2"))
        let first = try cluster.cut(from: s1, to: s2, trace: &trace)
        let second = try cluster.cut(from: s1, to: s2, trace: &trace)
        #expect(first && !second)
        #expect(cluster.cuts.count == 1)
        var copy = cluster
        #expect(throws: ClusterError.cutToItself("s1")) { try copy.cut(from: s1, to: s1, trace: &trace) }
        #expect(cluster.cuts.count == 1)
    }

    /// A partial partition: s1 reaches s2, s2 reaches s3, s1 and s3 do not reach
    /// each other.
    @Test func aPartialPartition() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        let (s1, s2, s3) = (cluster.id("s1"), cluster.id("s2"), cluster.id("s3"))
        try cluster.cut(from: s1, to: s3, trace: &trace)
        try cluster.cut(from: s3, to: s1, trace: &trace)
        #expect(cluster.reaches(s1, s2) && cluster.reaches(s2, s1) && cluster.reaches(s2, s3) && cluster.reaches(s3, s2))
        #expect(!cluster.reaches(s1, s3) && !cluster.reaches(s3, s1))
        try cluster.elect("s1")
        #expect(cluster[s1].role.kind == .leader, "s1 wins with s2's vote")
        #expect(cluster[s3].currentTerm == 0, "s3 never heard of term 1")
        try cluster.heartbeat(s1, trace: &trace)
        #expect(cluster.kinds == ["s1->s2 AppendEntries"])
    }

    @Test func cutsAndPartitionsAreIndependent() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let (s1, s2, s3) = (cluster.id("s1"), cluster.id("s2"), cluster.id("s3"))
        try cluster.cut(from: s1, to: s2, trace: &trace)
        try cluster.partition([[s1, s2, s3]], trace: &trace)
        #expect(cluster.cuts.contains(from: s1, to: s2), "a new partition leaves cuts in place")
        #expect(!cluster.reaches(s1, s2) && cluster.reaches(s2, s1) && cluster.reaches(s1, s3))
        #expect(!cluster.reaches(s1, cluster.id("s4")))
        let healed = cluster.heal(from: s1, to: s2)
        #expect(healed)
        #expect(cluster.groups != nil, "healing a link leaves the partition")
        try cluster.cut(from: s2, to: s3, trace: &trace)
        cluster.heal()
        #expect(cluster.groups == nil)
        #expect(cluster.cuts.isEmpty, "`heal` removes every cut")
    }

    /// Healed, a cluster equals (and hashes as) one that was never cut: the
    /// storage the cuts used is kept, but counts for nothing.
    @Test func aHealedClusterEqualsOneNeverCut() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.cut(from: cluster.id("s2"), to: cluster.id("s4"), trace: &trace)
        #expect(cluster != Cluster.fresh())
        cluster.heal(from: cluster.id("s2"), to: cluster.id("s4"))
        #expect(cluster == Cluster.fresh())
        #expect(cluster.hashValue == Cluster.fresh().hashValue)
        try cluster.cut(from: cluster.id("s5"), to: cluster.id("s1"), trace: &trace)
        cluster.heal()
        #expect(cluster == Cluster.fresh())
    }

    @Test func cutLinksAreListedBySenderThenReceiver() throws {
        var cluster = Cluster.fresh(70)
        var trace = quiet
        for (from, to) in [(69, 0), (3, 68), (3, 1), (0, 69)] {
            try cluster.cut(from: ServerID(from), to: ServerID(to), trace: &trace)
        }
        #expect(cluster.cuts.links.map { [$0.from.index, $0.to.index] } == [[0, 69], [3, 1], [3, 68], [69, 0]])
        #expect(cluster.cuts.contains(from: ServerID(69), to: ServerID(0)))
        #expect(!cluster.cuts.contains(from: ServerID(0), to: ServerID(3)))
    }
}
