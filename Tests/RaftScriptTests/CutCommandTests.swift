import RaftCore
import Testing

@testable import RaftScript

/// `cut A->B`, `cut A B`, `heal A->B`, `heal A B` (section 10): parsing, what
/// they do to a script's cluster, what they say, and what `show` shows.
@Suite(.timeLimit(.minutes(3)))
struct CutCommandTests {
    static let forms: [(String, Command)] = [
        ("cut s1->s3", .cut(.named("s1"), .named("s3"), bothWays: false)),
        ("cut s1 -> s3", .cut(.named("s1"), .named("s3"), bothWays: false)),
        ("CUT s1 s3", .cut(.named("s1"), .named("s3"), bothWays: true)),
        ("cut leader->s2", .cut(.leader, .named("s2"), bothWays: false)),
        ("heal", .heal),
        ("heal s1->s3", .healCut(.named("s1"), .named("s3"), bothWays: false)),
        ("heal s1 s3", .healCut(.named("s1"), .named("s3"), bothWays: true)),
    ]

    @Test(arguments: forms)
    func parses(line: String, expected: Command) throws {
        #expect(try Parser.parse(line) == expected)
    }

    static let parseErrors: [(String, String, Int)] = [
        ("cut", "missing A->B or A B after `cut`", 4),
        ("cut s1", "missing A->B or A B after `cut`", 7),
        ("cut s1->", "missing a server on the right of `->`", 9),
        ("cut ->s2", "expected A->B or A B after `cut`, found `->`", 5),
        ("cut s1 s2 s3", "unexpected `s3` (too many arguments)", 11),
        ("heal s1", "missing A->B or A B after `heal`", 8),
        ("heal s1->s2 s3", "unexpected `s3` (too many arguments)", 13),
    ]

    @Test(arguments: parseErrors)
    func badFormsAreOneErrorAtTheirColumn(line: String, message: String, column: Int) {
        #expect(throws: ParseError(message, column: column)) { try Parser.parse(line) }
    }

    static let errors: [(String, String)] = [
        ("cut s1 s1", "a server does not send to itself: there is no link from s1 to s1 to cut"),
        ("cut s1->s1", "a server does not send to itself: there is no link from s1 to s1 to cut"),
        ("cut s1->s9", "unknown server `s9` (the servers are s1 s2 s3 s4 s5)"),
        ("cut leader s2", "there is no leader (no live server is LEADER)"),
        ("heal s9 s1", "unknown server `s9` (the servers are s1 s2 s3 s4 s5)"),
    ]

    @Test(arguments: errors)
    func errorsStopTheScriptAndCutNothing(line: String, message: String) {
        let run = Run("\(line)\necho never")
        #expect(run.diagnostics == ["t.raftscript:1: error: \(message)"])
        #expect(run.interpreter.cluster.cuts.isEmpty)
        #expect(run.summary.exitStatus == 2)
    }

    /// A partial partition: s1 and s3 cannot reach each other, s2 reaches both.
    /// s1 wins term 1 with s2's vote; s3 never hears of it, times out again and
    /// again, and wins term 2 with s2's vote; s1 learns of term 2 only through s2.
    @Test func aPartialPartitionScript() {
        let run = Run("""
            cluster 3
            cut s1 s3
            timeout s1
            expect pending 1
            settle
            expect s1 leader
            expect s3 term 0
            heartbeat s1
            expect pending s1->s2 1
            expect pending s1->s3 0
            settle
            timeout s3
            deliver s3->s2
            deliver s2->s3
            expect s3 candidate
            timeout s3
            expect s3 term 2
            deliver s3->s2
            expect s2 term 2
            expect s2 voted s3
            deliver s2->s3
            expect s3 leader
            expect s1 leader
            expect leaders 2
            heartbeat s1
            deliver s1->s2
            deliver s2->s1
            expect s1 follower
            expect s1 term 2
            expect leader s3
            settle
            expect safe
            """)
        #expect(run.diagnostics == [])
        #expect(run.summary.exitStatus == 0)
    }

    @Test func cuttingTwiceAndHealingAnUncutLinkSaySo() {
        let run = Run("cut s1->s2\ncut s1 s2\nheal s3->s4\nheal s1 s2\nheal s1 s2\nexpect pending 0")
        #expect(run.diagnostics == [])
        #expect(run.lines == [
            "s1->s2 is cut already",
            "s3->s4 is not cut: nothing to heal",
            "s1->s2 is not cut: nothing to heal", "s2->s1 is not cut: nothing to heal",
        ])
        #expect(run.interpreter.cluster.cuts.isEmpty)
    }

    @Test func aNewPartitionLeavesCutsAndHealRemovesBoth() {
        let run = Run("""
            cut s1->s2
            partition s1 s2 s3 | s4 s5
            timeout s1
            expect pending 1
            expect pending s1->s3 1
            heal
            timeout s1
            expect pending 5
            """)
        #expect(run.diagnostics == [])
    }

    @Test func showMarksCutLinksAndShowNetListsThem() {
        let run = Run("cut s1 s3\ncut s2->s5\ntimeout s2\nshow\nshow net\nshow s3\nshow s4")
        #expect(run.diagnostics == [])
        #expect(run.lines.contains("3 messages in flight"))
        #expect(run.lines.filter { $0 == "cut links: s1->s3 s2->s5 s3->s1" }.count == 2, "\(run.lines)")
        #expect(run.lines.contains { $0.hasPrefix("cut links") && $0.hasSuffix("s1->s3 s3->s1") }, "show s3")
        #expect(run.lines.filter { $0.hasPrefix("cut links") }.count == 3, "show s4 has no cut link")
        let quiet = Run("show\nshow net")
        #expect(!quiet.lines.contains { $0.hasPrefix("cut links") })
    }

    @Test func narrationSaysWhatWasCutLostAndHealed() {
        let run = Run("timeout s1\ncut s1->s3\nheal s1->s3\ncut s2 s4\nheal", trace: true)
        let text = run.lines.joined(separator: "\n")
        #expect(text.contains("link s1->s3 cut: every message from s1 to s3 is lost until `heal s1->s3` or `heal`"))
        #expect(text.contains("RequestVote s1->s3 lost (link cut)"))
        #expect(text.contains("link s1->s3 healed: messages from s1 to s3 get through again (nothing lost comes back)"))
        #expect(text.contains("network healed and 2 cut links healed: every server reaches every other again"))
    }

    @Test func expectErrorOfACutToItselfAndNotErrorOfAHeal() {
        let run = Run("expect error cut s2 s2\nexpect not error heal s1->s2\nexpect not error cut s1 s2\nexpect pending 0")
        #expect(run.diagnostics == [])
        #expect(run.interpreter.cluster.cuts.isEmpty, "tried on a copy")
    }
}
