import RaftCore
import Testing

@testable import RaftScript

/// Commands change the cluster as raftscript.md says, and say so.
@Suite(.timeLimit(.minutes(3)))
struct InterpreterTests {
    @Test func anElectionByHand() {
        let run = Run("""
            timeout s1
            expect s1 candidate
            expect s1 term 1
            expect s1 voted s1
            expect pending 4
            deliver s1->s2
            deliver s1 -> s3
            expect pending s2->s1 1
            deliver s2->s1
            deliver s3->s1
            expect s1 leader
            expect s1 votes 3
            expect leader s1
            expect leaders 1
            expect pending 6
            settle
            expect pending 0
            expect s1 votes 5
            expect safe
            """)
        #expect(run.diagnostics == [])
        #expect(run.summary.exitStatus == 0)
    }

    @Test func submitReplicatesAndCommits() {
        let run = Run("""
            timeout s1
            settle
            submit leader x=1
            submit s2 y
            settle
            expect s1 log 1:x=1
            expect s1 commit 1
            expect s3 commit 0
            heartbeat s1
            settle
            expect s3 commit 1
            expect s3 log 1
            """)
        #expect(run.diagnostics == [])
        #expect(run.lines == ["s2 is not LEADER: request ignored; the leader is s1"])
    }

    /// Each assertion says what it found and what it expected.
    static let failures: [(String, String)] = [
        ("expect s1 leader", "s1 is FOLLOWER, expected LEADER"),
        ("expect s1 down", "s1 is up, expected down"),
        ("expect s1 term 2", "s1 term is 0, expected 2"),
        ("expect s1 voted s2", "s1 voted for none, expected s2"),
        ("expect s1 log 1 1", "s1 log is empty, expected 1 1"),
        ("expect s1 log 1:a", "s1 log is empty, expected 1:a"),
        ("expect s1 commit 3", "s1 commit is 0, expected 3"),
        ("expect s1 votes 1", "s1 is FOLLOWER and has no votes, expected 1"),
        ("expect leader s1", "s1 is FOLLOWER, expected the leader"),
        ("expect leaders 1", "0 live leaders, expected 1"),
        ("expect pending 2", "0 messages in flight, expected 2"),
        ("expect pending s1->s2 1", "0 messages in flight from s1 to s2, expected 1"),
    ]

    @Test(arguments: failures)
    func failedExpectationsSayFoundAndExpected(line: String, message: String) {
        let run = Run("echo start\n" + line)
        #expect(run.diagnostics == ["t.raftscript:2: expect failed: \(message)"])
        #expect(run.summary.exitStatus == 1)
    }

    @Test func aFailedExpectationDoesNotStopTheScript() {
        let run = Run("expect s1 leader\necho after\nexpect s2 leader")
        #expect(run.lines == ["after"])
        #expect(run.summary.failedExpectations == 2)
        #expect(run.summary.exitStatus == 1)
    }

    /// Commands that cannot be carried out: one line, the script stops, status 2.
    static let errors: [(String, String)] = [
        ("timeout s9", "unknown server `s9` (the servers are s1 s2 s3 s4 s5)"),
        ("timeout S1", "unknown server `S1`; server names are case-sensitive: did you mean `s1`?"),
        ("heartbeat s1", "s1 is not LEADER"),
        ("restart s1", "s1 is already up"),
        ("deliver s1->s2", "no message in flight from s1 to s2"),
        ("expect leader term 1", "there is no leader (no live server is LEADER)"),
        ("partition s1 s2 | s3 s1", "s1 is in two partition groups"),
        ("set s1 log 2 1", "log terms must not decrease: term 1 at index 2 follows term 2"),
        ("set s1 commit 1", "s1's commit index must be between 0 and its log length 0, not 1"),
        ("transfer s1 s2", "s1 is not LEADER"),
        ("frobnicate", "unknown command `frobnicate` (try `help`)"),
        ("help frob", "no help for `frob`"),
    ]

    @Test(arguments: errors)
    func errorsStopTheScript(line: String, message: String) {
        let run = Run("echo before\n\(line)\necho never")
        #expect(run.diagnostics == ["t.raftscript:2: error: \(message)"])
        #expect(run.lines == ["before"])
        #expect(run.summary.exitStatus == 2)
    }

    @Test func timeoutOfALeaderOrACrashedServerIsAnError() {
        let leader = Run("timeout s1\nsettle\ntimeout s1")
        #expect(leader.diagnostics == ["t.raftscript:3: error: s1 is LEADER; a leader's election timer runs only with checkquorum on or a transfer pending"])
        let crashed = Run("crash s2\ntimeout s2")
        #expect(crashed.diagnostics == ["t.raftscript:2: error: s2 is down"])
    }

    @Test func setTermBelowTheLogIsRefused() {
        let run = Run("set s1 log 1 3\nexpect s1 term 3\nset s1 term 2")
        #expect(run.diagnostics == ["t.raftscript:3: error: s1's log ends in term 3, so its term cannot be 2"])
    }

    @Test func settingStateNeverSendsOrChangesRoles() {
        let run = Run("""
            timeout s1
            settle
            set s1 term 7
            set s2 log 1 1
            set s2 voted s3
            set s2 commit 1
            expect s1 leader
            expect s1 term 7
            expect s1 voted none
            expect s2 voted s3
            expect s2 commit 1
            expect pending 0
            """)
        #expect(run.diagnostics == [])
    }

    @Test func clusterReplacesServersAndKeepsOptions() {
        let run = Run("""
            set noop on
            cluster 3
            timeout s2
            settle
            expect s2 leader
            expect s2 log 1
            expect s2 commit 1
            cluster alpha beta
            expect alpha follower
            timeout alpha
            deliver alpha->beta
            deliver beta->alpha
            expect leader alpha
            """)
        #expect(run.diagnostics == [])
    }

    @Test func oneServerClusterElectsAndCommitsAtOnce() {
        let run = Run("cluster 1\ntimeout s1\nexpect s1 leader\nsubmit s1 v\nexpect s1 commit 1\nexpect pending 0")
        #expect(run.diagnostics == [])
    }

    @Test func deliverAllDeliversOnlyWhatWasInFlight() {
        let run = Run("""
            timeout s1
            deliver all
            expect pending 4
            expect s1 candidate
            deliver all
            expect s1 leader
            expect pending 4
            deliver s1->*
            expect pending 4
            deliver *->s1
            expect pending 0
            deliver all
            """)
        #expect(run.diagnostics == [])
        #expect(run.lines == ["nothing in flight"])
    }

    /// `drop` reports an empty selection as `deliver` does, and says nothing
    /// else unless tracing.
    @Test func dropSaysWhenThereIsNothingToDrop() {
        let run = Run("""
            drop all
            drop s1->*
            drop *->s3
            timeout s1
            drop s1->*
            drop all
            expect pending 0
            """)
        #expect(run.diagnostics == [])
        #expect(run.lines == ["nothing in flight", "nothing in flight from s1", "nothing in flight to s3", "nothing in flight"])
    }

    @Test func partitionsAndCrashesDrop() {
        let run = Run("""
            timeout s1
            partition s1 s2 | s3
            expect pending 1
            isolate s1
            expect pending 0
            heal
            timeout s1
            crash s3
            expect pending 3
            expect s3 down
            restart s3
            expect s3 up
            expect s3 follower
            settle
            expect s1 leader
            expect s3 term 2
            """)
        #expect(run.diagnostics == [])
    }

    @Test func expectSafeFailsWithTheBrokenProperty() {
        let run = Run("""
            set s1 log 1:a 2:b
            set s1 commit 2
            set s2 log 1:a 3:c
            set s2 commit 2
            expect safe
            """)
        #expect(run.diagnostics == [
            "t.raftscript:5: expect failed: not safe: State Machine Safety: s2 committed an entry of term 3 at index 2, but s1 committed one of term 2 there",
        ])
    }

    @Test func narrationSaysWhatHappenedAndWhy() {
        let run = Run("""
            set s3 log 1 2
            set s5 log 1
            timeout s5
            deliver s5->s3
            deliver s5->s4
            """, trace: true)
        #expect(run.lines == [
            "· s5  election timeout → CANDIDATE, term 2, votes for itself, RequestVote → s1 s2 s3 s4",
            "· s3  refuses s5: its log (last term 2) is more up-to-date than s5's (last term 1)",
            "· s4  sees term 2 from s5 → moves to term 2",
            "· s4  grants its vote to s5 (term 2)",
        ])
    }

    @Test func showRendersAlignedTables() {
        let run = Run("""
            set s1 log 1 1 2
            set s1 commit 2
            set s2 log 1
            timeout s3
            partition s1 | s2 s3
            show
            show log
            show net
            show s3
            """)
        #expect(run.diagnostics == [])
        let expected = """
            server  state  role       term  voted  commit  group  inbox  log
            s1      up     FOLLOWER   2     none   2       1      0      1 1 2
            s2      up     FOLLOWER   1     none   0       2      1      1
            s3      up     CANDIDATE  1     s3     0       2      0      empty
            s4      up     FOLLOWER   0     none   0       3      0      empty
            s5      up     FOLLOWER   0     none   0       3      0      empty
            1 message in flight; network partitioned
            index 1  2  3  commit
            s1    1* 1* 2  2
            s2    1        0
            s3             0
            s4             0
            s5             0
            * committed
            1.  s3->s2  RequestVote(term 1, candidate s3, lastLogIndex 0, lastLogTerm 0)
            server       s3
            state        CANDIDATE
            currentTerm  1
            votedFor     s3
            log          empty  (0 entries, last term 0)
            commitIndex  0
            votes        s3 (1/5, 3 needed)
            group        2
            in flight    0 to it, 1 from it
            """
        #expect(run.lines.joined(separator: "\n") == expected)
    }

    @Test func helpListsGroupsAndExplainsACommand() throws {
        var interpreter = try Interpreter()
        let all = try interpreter.run(.help(nil)).lines
        #expect(all.contains("Events:"))
        #expect(all.contains { $0.hasPrefix("  deliver") })
        let deliver = try interpreter.run(.help("deliver")).lines
        #expect(deliver.first == "usage: deliver A->B [N|all]")
        #expect(deliver.last == "example: deliver s1->s3")
    }

    @Test func tickUntilLeaderIsReproducibleAndBounded() {
        let script = "set seed 7\nset trace on\ntick until leader\nexpect leaders 1\nset trace off\ntick 50\nexpect safe\nshow"
        let first = Run(script)
        #expect(first.diagnostics == [])
        #expect(first.lines.contains("· s2 leads term 1 after 12 ticks (now tick 12)"))
        #expect(first.lines.contains("· -- tick 11"))
        #expect(Run(script).lines == first.lines)
        #expect(Run(script.replacingOccurrences(of: "seed 7", with: "seed 8")).lines != first.lines)

        let bounded = Run("set election-timeout 5 5\ncluster 3\ntick until leader max 30")
        #expect(bounded.diagnostics == ["t.raftscript:3: error: no leader backed by a majority after 30 ticks"])
    }
}
