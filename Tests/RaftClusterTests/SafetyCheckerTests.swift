import RaftCore
import Testing

@testable import RaftCluster

/// The checker sees each of Figure 3's properties break, and stays quiet on a correct run.
@Suite(.timeLimit(.minutes(3)))
struct SafetyCheckerTests {
    @Test func aCorrectRunIsSafe() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        try cluster.elect("s1")
        for value in ["a", "b", "c"] { _ = try cluster.submit(value, to: cluster.id("s1"), trace: &trace) }
        try cluster.settle(maxDeliveries: 1000, trace: &trace)
        try cluster.crash(cluster.id("s1"), trace: &trace)
        try cluster.elect("s2")
        _ = try cluster.submit("d", to: cluster.id("s2"), trace: &trace)
        try cluster.settle(maxDeliveries: 1000, trace: &trace)
        #expect(cluster.safety.isSafe)
        #expect(cluster.safety.committedCount == 4)
        #expect(cluster.safety.electedTerms == 2)
    }

    /// Two servers win term 1 because `set` takes back the votes already cast.
    @Test func twoLeadersInOneTermBreakElectionSafety() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.timeout(s1, trace: &trace)
        for peer in ["s2", "s3"] {
            try cluster.deliver(from: s1, to: cluster.id(peer), count: 1, trace: &trace)
            try cluster.deliver(from: cluster.id(peer), to: s1, count: 1, trace: &trace)
        }
        #expect(cluster[s1].role.kind == .leader)
        try cluster.setTerm(s2, to: 0)
        try cluster.timeout(s2, trace: &trace)
        for peer in ["s4", "s5"] {
            try cluster.deliver(from: s2, to: cluster.id(peer), count: 1, trace: &trace)
            try cluster.deliver(from: cluster.id(peer), to: s2, count: 1, trace: &trace)
        }
        #expect(cluster[s2].role.kind == .leader)
        #expect(cluster.safety.violations == [.twoLeaders(term: 1, first: s1, second: s2)])
    }

    @Test func divergingCommittedEntriesBreakLogMatchingAndStateMachineSafety() throws {
        var cluster = Cluster.fresh()
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.setLog(s1, to: Log([LogEntry(term: 1, value: "a")]))
        try cluster.setCommitIndex(s1, to: 1)
        #expect(cluster.safety.isSafe)
        try cluster.setLog(s2, to: Log([LogEntry(term: 1, value: "b")]))
        #expect(cluster.safety.violations == [.logsDiverge(index: 1, term: 1, server: s2, other: s1)])
        try cluster.setCommitIndex(s2, to: 1)
        #expect(cluster.safety.violations.last == .conflictingCommit(index: 1, server: s2, term: 1, committedBy: s1, committedEntryTerm: 1))
    }

    @Test func logMatchingLooksAtEarlierEntriesToo() throws {
        var cluster = Cluster.fresh()
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.setLog(s1, to: Log(terms: [1, 3]))
        try cluster.setLog(s2, to: Log(terms: [2, 3]))
        #expect(cluster.safety.violations == [.logsDiverge(index: 2, term: 3, server: s2, other: s1)])
    }

    @Test func aLeaderWithoutACommittedEntryBreaksLeaderCompleteness() throws {
        var cluster = Cluster.fresh()
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.setLog(s2, to: Log([LogEntry(term: 1, value: "x")]))
        try cluster.setCommitIndex(s2, to: 1)
        try cluster.setTerm(s1, to: 1)
        try cluster.elect("s1")
        #expect(cluster[s1].role.kind == .leader)
        #expect(cluster.safety.violations.contains(.leaderMissesCommittedEntry(leader: s1, leaderTerm: 2, index: 1, committedTerm: 1)))
    }

    /// The checker remembers how much of the history a leader's log was found to
    /// hold; a log that changes after that must be looked at again when its server
    /// next wins an election.
    @Test func aLeaderWhoseLogChangedSinceItsLastElectionIsCheckedAgain() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.setLog(s1, to: Log([LogEntry(term: 1, value: "a")]))
        try cluster.setCommitIndex(s1, to: 1)
        try cluster.setLog(s2, to: Log([LogEntry(term: 1, value: "a")]))
        try cluster.elect("s2")  // holds the committed entry: checked and remembered
        #expect(cluster.safety.isSafe)
        try cluster.crash(s2, trace: &trace)
        try cluster.restart(s2)
        try cluster.setLog(s2, to: Log([LogEntry(term: 1, value: "z")]))
        try cluster.elect("s2")
        #expect(cluster[s2].role.kind == .leader)
        #expect(cluster.safety.violations.contains {
            if case .leaderMissesCommittedEntry(leader: s2, _, index: 1, _) = $0 { true } else { false }
        })
    }

    /// What the checker remembers to save work is not history: a restored copy,
    /// which has looked at nothing yet, equals the original and hashes the same.
    @Test func aCommitAfterALaterLeaderWasElectedIsCheckedAgainstIt() throws {
        var cluster = Cluster.fresh()
        var trace = quiet
        let s1 = cluster.id("s1"), s2 = cluster.id("s2")
        try cluster.setTerm(s1, to: 3)
        try cluster.elect("s1")  // leader of term 4 with an empty log
        try cluster.setLog(s2, to: Log(terms: [2]))
        try cluster.setCommitIndex(s2, to: 1)  // s2 (term 4) commits an entry s1 lacks: committed in term 4, not later
        #expect(cluster.safety.isSafe)
        try cluster.crash(s1, trace: &trace)
        try cluster.restart(s1)
        try cluster.setTerm(cluster.id("s3"), to: 4)
        try cluster.setLog(cluster.id("s3"), to: Log(terms: [2]))
        _ = cluster.safety
        try cluster.elect("s3")  // term 5 holds it: fine
        #expect(cluster.safety.isSafe)
    }

    @Test func truncatingCommittedEntriesIsCaught() throws {
        var cluster = Cluster.fresh()
        let s1 = cluster.id("s1")
        try cluster.setLog(s1, to: Log(terms: [1, 1]))
        try cluster.setCommitIndex(s1, to: 2)
        try cluster.setLog(s1, to: Log(terms: [1, 2]))
        #expect(cluster.safety.violations == [.conflictingCommit(index: 2, server: s1, term: 2, committedBy: s1, committedEntryTerm: 1)])
    }

    @Test func violationsNameTheirProperty() {
        let a = ServerID(0), b = ServerID(1)
        let name: (ServerID) -> String = { "s\($0.index + 1)" }
        #expect(SafetyViolation.twoLeaders(term: 2, first: a, second: b).describe(name)
            == "Election Safety: s1 and s2 were both leader of term 2")
        #expect(SafetyViolation.lostCommittedEntry(server: a, index: 3, lastIndex: 1).property == "State Machine Safety")
    }
}
