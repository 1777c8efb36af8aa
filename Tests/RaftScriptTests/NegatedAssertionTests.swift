import RaftCore
import Testing

@testable import RaftScript

/// `expect not …`, `expect error …` and `expect not error …` (raftscript.md
/// section 10): what they hold on, what they say when they fail, and that the
/// command an `expect error` tries leaves the cluster as it was.
@Suite(.timeLimit(.minutes(3)))
struct NegatedAssertionTests {
    /// s1 leads term 1 with every vote; nothing in flight.
    static let elected = "timeout s1\nsettle\n"

    static let forms: [(String, Command)] = [
        ("expect not safe", .expect(.not(.safe))),
        ("expect NOT s1 leader", .expect(.not(.role(.named("s1"), .leader)))),
        ("expect not leader s1", .expect(.not(.leaderIs(.named("s1"))))),
        ("expect error timeout s1", .expect(.error(.timeout([.named("s1")]), written: "timeout s1"))),
        ("expect error deliver s1 -> s2 2", .expect(.error(.deliver(.link(from: .named("s1"), to: .named("s2"), count: 2)), written: "deliver s1 -> s2 2"))),
        ("expect not error heartbeat leader", .expect(.not(.error(.heartbeat(.leader), written: "heartbeat leader")))),
        ("expect error expect s9 up", .expect(.error(.expect(.up(.named("s9"))), written: "expect s9 up"))),
        // Version 1 meaning kept: a server named `not` or `error`.
        ("expect not leader", .expect(.role(.named("not"), .leader))),
        ("expect error down", .expect(.down(.named("error")))),
    ]

    @Test(arguments: forms)
    func parses(line: String, expected: Command) throws {
        #expect(try Parser.parse(line) == expected)
    }

    static let parseErrors: [(String, String, Int)] = [
        ("expect not", "missing an assertion after `expect not`", 11),
        ("expect error", "missing a command after `expect error`", 13),
        ("expect not error", "missing a command after `expect error`", 17),
        ("expect not not safe", "`not not` is the assertion itself: leave both out", 12),
        ("expect error frob s1", "unknown command `frob` (try `help`)", 14),
        ("expect error heartbeat s1 s2", "unexpected `s2` (too many arguments)", 27),
        ("expect error source x.raftscript", "`expect error` takes a command that acts on the cluster, not `source`", 14),
        ("expect not s1 happy", "expected leader, follower, candidate, precandidate, down, up, term, voted, log, commit or votes, found `happy`", 15),
    ]

    @Test(arguments: parseErrors)
    func badFormsAreOneErrorAtTheirColumn(line: String, message: String, column: Int) {
        #expect(throws: ParseError(message, column: column)) { try Parser.parse(line) }
        let run = Run("echo before\n\(line)\necho never")
        #expect(run.diagnostics == ["t.raftscript:2: error: \(message)"])
        #expect(run.summary.exitStatus == 2)
    }

    @Test func negationsThatHold() {
        let run = Run(Self.elected + """
            expect not s2 leader
            expect not s1 follower
            expect not s1 down
            expect not s1 term 2
            expect not s2 voted s2
            expect not s2 log 1
            expect not s1 commit 1
            expect not s1 votes 4
            expect not leader s2
            expect not leaders 2
            expect not no leader
            expect not pending 1
            expect not pending s1->s2 1
            """)
        #expect(run.diagnostics == [])
        #expect(run.summary.exitStatus == 0)
    }

    /// Each negation that fails says what it found, and what it expected not.
    static let failures: [(String, String)] = [
        ("expect not s1 leader", "s1 is LEADER, expected not LEADER"),
        ("expect not s2 up", "s2 is up, expected not up"),
        ("expect not s1 term 1", "s1 term is 1, expected not 1"),
        ("expect not s2 voted s1", "s2 voted for s1, expected not s1"),
        ("expect not s2 log empty", "s2 log is empty, expected not empty"),
        ("expect not s2 commit 0", "s2 commit is 0, expected not 0"),
        ("expect not s1 votes 5", "s1 has 5 votes, expected not 5"),
        ("expect not leader s1", "s1 is the leader, expected not s1"),
        ("expect not leaders 1", "1 live leader (s1), expected not 1"),
        ("expect not pending 0", "0 messages in flight, expected not 0"),
        ("expect not pending s1->s2 0", "0 messages in flight from s1 to s2, expected not 0"),
        ("expect not safe", "safe: every safety property of Figure 3 holds, expected not safe"),
        ("expect error timeout s2", "`timeout s2` succeeded, expected an error"),
        ("expect not error timeout s1", "`timeout s1` is an error (s1 is LEADER; a leader's election timer runs only with checkquorum on or a transfer pending), expected it to succeed"),
    ]

    @Test(arguments: failures)
    func failedNegationsSayFoundAndExpected(line: String, message: String) {
        let run = Run(Self.elected + line + "\necho after")
        #expect(run.diagnostics == ["t.raftscript:3: expect failed: \(message)"])
        #expect(run.lines == ["after"], "a failed expectation does not stop the script")
        #expect(run.summary.exitStatus == 1)
    }

    @Test func notSafeHoldsOnceARuleIsBroken() {
        let run = Run("set s1 log 1:a\nset s1 commit 1\nset s2 log 1:b\nset s2 commit 1\nexpect not safe")
        #expect(run.diagnostics == [])
    }

    @Test func aReferenceThatCannotBeResolvedIsStillAnError() {
        let noLeader = Run("expect not leader term 1\necho never")
        #expect(noLeader.diagnostics == ["t.raftscript:1: error: there is no leader (no live server is LEADER)"])
        #expect(noLeader.summary.exitStatus == 2)
    }

    /// An `expect error` that holds and one that fails both leave every server,
    /// message and timer as they were.
    @Test func theTriedCommandChangesNothing() throws {
        var interpreter = try Interpreter()
        for line in ["timeout s1", "deliver s1->s2", "deliver s2->s1", "tick 3"] {
            _ = try interpreter.run(try #require(try Parser.parse(line)))
        }
        let before = interpreter.cluster
        for line in [
            "expect error timeout s3", "expect error crash s2", "expect error settle", "expect error tick 50",
            "expect error partition s1 | s2", "expect error submit s1 x", "expect error deliver s1->s3",
            "expect not error crash s4", "expect not error set s2 term 9", "expect error cluster 3", "expect error set seed 9",
            "expect error heartbeat s2", "expect not error heartbeat s2",
        ] {
            _ = try interpreter.run(try #require(try Parser.parse(line)))
            #expect(interpreter.cluster == before, "\(line)")
        }
    }

    @Test func anErrorInsideIsWhatHoldsAndNothingIsPrinted() throws {
        let run = Run(Self.elected + """
            expect error timeout s1
            expect error heartbeat s2
            expect error deliver s1->s2
            expect error restart s3
            expect error crash s9
            expect error expect leader s9
            expect error set s2 log 2 1
            expect error help nothing
            expect not error settle
            expect not error crash s5
            expect s5 up
            expect not error set s1 term 0
            expect s1 term 1
            """)
        #expect(run.diagnostics == [])
        #expect(run.lines == [])
    }

    /// A tracing session narrates nothing for a command only tried.
    @Test func aTriedCommandIsNotNarrated() {
        let run = Run("expect not error timeout s1\nexpect error heartbeat s1", trace: true)
        #expect(run.diagnostics == [])
        #expect(run.lines == [])
    }
}
