import RaftCluster
import RaftCore
import Testing

@testable import RaftScript

/// The commands of raftscript.md section 10 that raftsh has: `set prevote`,
/// `set checkquorum`, `transfer`, `expect S precandidate`, a LEADER's `timeout`,
/// and how `show` and the narration present them.
@Suite(.timeLimit(.minutes(3)))
struct ElectionExtensionTests {
    @Test func setPrevoteOnMakesAPrecandidate() {
        let run = Run("set prevote on\ntimeout s1\nexpect s1 precandidate\nexpect s1 term 0\nexpect s1 votes 1\ndeliver s1->s2\ndeliver s2->s1\nexpect s1 votes 2")
        #expect(run.diagnostics.isEmpty)
        #expect(run.summary.exitStatus == 0)
        #expect(run.interpreter.cluster.configuration.prevote)
    }

    @Test func setPrevoteOffGoesBackToCandidates() {
        let run = Run("set prevote on\nset prevote off\ntimeout s1\nexpect s1 candidate")
        #expect(run.summary.exitStatus == 0)
    }

    @Test func aFailedPrecandidateExpectationSaysWhatWasFound() {
        let run = Run("timeout s1\nexpect s1 precandidate")
        #expect(run.diagnostics == ["t.raftscript:2: expect failed: s1 is CANDIDATE, expected PRECANDIDATE"])
        #expect(run.summary.exitStatus == 1)
    }

    static let errors: [(String, String)] = [
        ("transfer s2 s3", "s2 is not LEADER"),
        ("transfer s1 s1", "s1 cannot transfer leadership to itself"),
        ("transfer s1 s9", "unknown server `s9` (the servers are s1 s2 s3 s4 s5)"),
        ("transfer s1", "missing a server to hand leadership to"),
        ("transfer leader s2 s3", "unexpected `s3` (too many arguments)"),
        ("timeout s1", "s1 is LEADER; a leader's election timer runs only with checkquorum on or a transfer pending"),
        ("set checkquorum maybe", "expected on or off for checkquorum, found `maybe`"),
    ]

    @Test(arguments: errors)
    func errorsStopTheScript(line: String, message: String) {
        let run = Run("timeout s1\nsettle\n\(line)\necho never")
        #expect(run.diagnostics.count == 1)
        #expect(run.diagnostics.first?.hasSuffix("error: \(message)") == true, "\(run.diagnostics)")
        #expect(run.lines.isEmpty)
        #expect(run.summary.exitStatus == 2)
    }

    @Test func aLeadersTimeoutChecksTheQuorumWithCheckQuorumOn() {
        let run = Run("""
            set checkquorum on
            timeout s1
            settle
            isolate s1
            timeout s1
            expect s1 leader
            timeout s1
            expect s1 follower
            expect s1 term 1
            """)
        #expect(run.diagnostics.isEmpty)
        #expect(run.summary.exitStatus == 0)
    }

    @Test func transferHandsLeadershipOverAndRefusesSubmitsMeanwhile() {
        let run = Run("""
            timeout s1
            settle
            transfer s1 s3
            submit s1 x=1
            expect pending s1->s3 1
            timeout s1
            expect s1 leader
            transfer s1 s3
            settle
            expect s3 leader
            expect s3 term 2
            """)
        #expect(run.diagnostics.isEmpty)
        #expect(run.lines == ["s1 is handing leadership over to s3: request ignored"])
        #expect(run.summary.exitStatus == 0)
    }

    @Test func showServerGivesLeaderContactTransferAndHeardFrom() {
        let run = Run("set checkquorum on\ntimeout s1\nsettle\nisolate s3\nsubmit s1 a\ntransfer s1 s3\nshow s1\nshow s2")
        #expect(run.lines.contains("leader contact  yes (it is LEADER)"))
        #expect(run.lines.contains("transfer        to s3, waiting for it to catch up"))
        #expect(run.lines.contains("heard from      s1 s2 s3 s4 s5 (5/5 since the last check, 3 needed)"))
        #expect(run.lines.contains("leader contact  yes: heard from the leader of term 1"))
    }

    @Test func showNetListsTheNewMessagesAndTheTransferFlag() {
        let run = Run("set prevote on\ntimeout s1\nshow net\nsettle\ntransfer s1 s2\ndeliver s1->s2\nshow net")
        #expect(run.lines.contains("1.  s1->s2  PreVote(term 1, candidate s1, lastLogIndex 0, lastLogTerm 0)"))
        #expect(run.lines.contains("1.  s2->s1  RequestVote(term 2, candidate s2, lastLogIndex 0, lastLogTerm 0, transfer true)"))
        let responses = Run("set prevote on\ntimeout s1\ndeliver s1->s2\nshow net")
        #expect(responses.lines.contains("4.  s2->s1  PreVoteResponse(term 1, granted true)"))
        let timeoutNow = Run("timeout s1\nsettle\ntransfer s1 s2\nshow net")
        #expect(timeoutNow.lines == ["1.  s1->s2  TimeoutNow(term 1)"])
    }

    @Test func theNarrationTellsTheStory() {
        let run = Run("""
            set prevote on
            set checkquorum on
            timeout s1
            settle
            isolate s5
            timeout s5
            heal
            timeout s5
            deliver s5->s1
            transfer s1 s2
            settle
            """, trace: true)
        let text = run.lines.joined(separator: "\n")
        for sentence in [
            "s1  election timeout → PRECANDIDATE, PreVote for term 1 → s2 s3 s4 s5",
            "s2  grants a pre-vote to s1 (term 1); its own term and vote stay as they are",
            "s1  → CANDIDATE, term 1, votes for itself, RequestVote → s2 s3 s4 s5",
            "s1  refuses a pre-vote to s5: it has heard from a leader",
            "s1  hands leadership over to s2; takes no client request until the transfer ends",
            "s1  s2 has every entry: TimeoutNow → s2",
            "s2  TimeoutNow from s1: starts an election at once",
        ] {
            #expect(text.contains(sentence), "\(sentence)")
        }
    }

    @Test func stickinessIsNarrated() {
        let run = Run("set checkquorum on\ntimeout s1\nsettle\ntimeout s5\ndeliver s5->s2", trace: true)
        #expect(run.lines.joined(separator: "\n").contains("s2  ignores RequestVote from s5 (term 2): it has heard from a leader (leader stickiness)"))
    }

    @Test func theLeaderReferenceAndExpectLeadersCountLeadersOnly() {
        let run = Run("set prevote on\ntimeout s1\nsettle\ntimeout s2\nexpect s2 precandidate\nexpect leaders 1\nexpect leader s1\ntimeout leader")
        // `timeout leader` of the one LEADER with checkquorum off and no transfer: an error.
        #expect(run.diagnostics == ["t.raftscript:8: error: s1 is LEADER; a leader's election timer runs only with checkquorum on or a transfer pending"])
    }

    @Test func underTickALeadersElectionTimerRunsWithCheckQuorum() throws {
        let run = Run("set checkquorum on\nset seed 4\ntick until leader\nset loss 1\ntick 60\nexpect leaders 0")
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        let quiet = Run("set seed 4\ntick until leader\nset loss 1\ntick 60\nexpect leaders 1")
        #expect(quiet.diagnostics.isEmpty, "\(quiet.diagnostics)")
    }

    @Test func aTransferUnderTickEndsWhenTheLeadersTimerFires() throws {
        // Seed 4 elects s1; with every message lost, TimeoutNow never arrives.
        let run = Run("set seed 4\ntick until leader\nexpect leader s1\nset loss 1\ntransfer s1 s2\nshow s1\ntick 25\nshow s1")
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        #expect(run.lines.contains("transfer        to s2, TimeoutNow sent"))
        #expect(run.lines.filter { $0.hasPrefix("transfer ") }.count == 1)
        let cluster = run.interpreter.cluster
        let s1 = try #require(cluster.id(named: "s1"))
        #expect(cluster.isLiveLeader(s1))
        #expect(cluster.transferTarget(of: s1) == nil)
        #expect(cluster.electionDeadline[s1.index] == nil, "no transfer and no checkquorum: the leader's timer stops")
    }

    @Test func helpDescribesTheNewCommandAndOptions() throws {
        let transfer = try Help.text(for: "transfer")
        #expect(transfer.first == "usage: transfer S T")
        let set = try Help.text(for: "set").joined(separator: " ")
        #expect(set.contains("set prevote on|off"))
        #expect(set.contains("set checkquorum on|off"))
        #expect(set.contains("Pre-Vote"))
    }
}
