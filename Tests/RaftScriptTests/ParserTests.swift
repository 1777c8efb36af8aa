import RaftCore
import Testing

@testable import RaftScript

/// Every command form of raftscript.md, parsed to its typed command.
@Suite(.timeLimit(.minutes(3)))
struct ParserTests {
    static let forms: [(String, Command)] = [
        ("timeout s1", .timeout([.named("s1")])),
        ("timeout s1 s2 leader", .timeout([.named("s1"), .named("s2"), .leader])),
        ("heartbeat leader", .heartbeat(.leader)),
        ("submit s1 x=1", .submit(.named("s1"), "x=1")),
        ("submit s1 set  x to 1", .submit(.named("s1"), "set  x to 1")),
        ("deliver s1->s3", .deliver(.link(from: .named("s1"), to: .named("s3"), count: 1))),
        ("deliver s1 -> s3 2", .deliver(.link(from: .named("s1"), to: .named("s3"), count: 2))),
        ("deliver s1->s3 all", .deliver(.link(from: .named("s1"), to: .named("s3"), count: nil))),
        ("deliver s1->*", .deliver(.from(.named("s1")))),
        ("deliver *->s2", .deliver(.to(.named("s2")))),
        ("deliver all", .deliver(.all)),
        ("DELIVER ALL", .deliver(.all)),
        ("drop s1->s2 all", .drop(.link(from: .named("s1"), to: .named("s2"), count: nil))),
        ("drop all", .drop(.all)),
        ("settle", .settle(nil)),
        ("settle 50", .settle(50)),
        ("partition s1 s2 | s3 s4 s5", .partition([[.named("s1"), .named("s2")], [.named("s3"), .named("s4"), .named("s5")]])),
        ("partition s1 s2|s3", .partition([[.named("s1"), .named("s2")], [.named("s3")]])),
        ("partition s1", .partition([[.named("s1")]])),
        ("isolate s4", .isolate(.named("s4"))),
        ("heal", .heal),
        ("crash s2", .crash([.named("s2")])),
        ("crash s1 leader", .crash([.named("s1"), .leader])),
        ("restart s2", .restart([.named("s2")])),
        ("restart s2 s3", .restart([.named("s2"), .named("s3")])),
        ("tick", .tick(1)),
        ("tick 30", .tick(30)),
        ("tick until leader", .tickUntilLeader(max: nil)),
        ("tick until leader max 50", .tickUntilLeader(max: 50)),
        ("cluster 3", .clusterOfSize(3)),
        ("cluster a b c", .clusterNamed(["a", "b", "c"])),
        ("cluster S1", .clusterNamed(["S1"])),
        ("set s1 term 4", .setTerm(.named("s1"), 4)),
        ("set s1 log 1 1 4:x", .setLog(.named("s1"), [LogEntry(term: 1), LogEntry(term: 1), LogEntry(term: 4, value: "x")])),
        ("set s1 log", .setLog(.named("s1"), [])),
        ("set s1 voted s2", .setVoted(.named("s1"), .named("s2"))),
        ("set s1 voted none", .setVoted(.named("s1"), nil)),
        ("set s1 commit 2", .setCommit(.named("s1"), 2)),
        ("set seed 42", .setOption(.seed(42))),
        ("set election-timeout 5 9", .setOption(.electionTimeout(5...9))),
        ("set heartbeat-interval 2", .setOption(.heartbeatInterval(2))),
        ("set latency 1 3", .setOption(.latency(1...3))),
        ("set loss 0.25", .setOption(.loss(0.25))),
        ("set noop on", .setOption(.noop(true))),
        ("set prevote off", .setOption(.prevote(false))),
        ("set checkquorum off", .setOption(.checkquorum(false))),
        ("SET TRACE OFF", .setOption(.trace(false))),
        ("show", .show(.cluster)),
        ("show s1", .show(.server(.named("s1")))),
        ("show log", .show(.log)),
        ("show net", .show(.net)),
        ("help", .help(nil)),
        ("help deliver", .help("deliver")),
        ("echo hello,  world", .echo("hello,  world")),
        ("echo", .echo("")),
        ("source x.raftscript", .source("x.raftscript")),
        ("expect s1 leader", .expect(.role(.named("s1"), .leader))),
        ("expect s1 Follower", .expect(.role(.named("s1"), .follower))),
        ("expect s1 candidate", .expect(.role(.named("s1"), .candidate))),
        ("expect s1 down", .expect(.down(.named("s1")))),
        ("expect s1 up", .expect(.up(.named("s1")))),
        ("expect s1 term 3", .expect(.term(.named("s1"), 3))),
        ("expect s1 voted s2", .expect(.voted(.named("s1"), .named("s2")))),
        ("expect s1 voted none", .expect(.voted(.named("s1"), nil))),
        ("expect s1 log 1 1 2", .expect(.log(.named("s1"), [ExpectedEntry(term: 1), ExpectedEntry(term: 1), ExpectedEntry(term: 2)]))),
        ("expect s1 log 1:x", .expect(.log(.named("s1"), [ExpectedEntry(term: 1, value: "x")]))),
        ("expect s1 log empty", .expect(.log(.named("s1"), []))),
        ("expect s1 commit 2", .expect(.commit(.named("s1"), 2))),
        ("expect s1 votes 3", .expect(.votes(.named("s1"), 3))),
        ("expect leader s1", .expect(.leaderIs(.named("s1")))),
        ("expect leader term 2", .expect(.term(.leader, 2))),
        ("expect leader leader", .expect(.role(.leader, .leader))),
        ("expect leaders 2", .expect(.leaders(2))),
        ("expect no leader", .expect(.leaders(0))),
        ("expect pending 4", .expect(.pending(4))),
        ("expect pending s1->s2 1", .expect(.pendingOnLink(from: .named("s1"), to: .named("s2"), count: 1))),
        ("expect safe", .expect(.safe)),
        ("timeout s1 # a comment", .timeout([.named("s1")])),
        ("\ttimeout\ts1\t", .timeout([.named("s1")])),
    ]

    @Test(arguments: forms)
    func parsesEveryForm(line: String, expected: Command) throws {
        #expect(try Parser.parse(line) == expected)
    }

    @Test(arguments: ["", "   ", "# only a comment", "#!/usr/bin/env raftsh"])
    func blankAndCommentLinesAreNothing(line: String) throws {
        #expect(try Parser.parse(line) == nil)
    }

    @Test func arrowAndBarAreTokensOnTheirOwn() {
        #expect(Tokenizer.tokens(in: "deliver s1->s3").map(\.text) == ["deliver", "s1", "->", "s3"])
        #expect(Tokenizer.tokens(in: "partition a b|c").map(\.text) == ["partition", "a", "b", "|", "c"])
        #expect(Tokenizer.tokens(in: "  x  y").map(\.column) == [3, 6])
    }

    /// Bad input: one clear message, pointing at the right column.
    static let errors: [(String, String, Int)] = [
        ("delvier s1->s2", "unknown command `delvier`; did you mean `deliver`?", 1),
        ("frobnicate", "unknown command `frobnicate` (try `help`)", 1),
        ("timeout", "missing a server to time out", 8),
        ("heartbeat s1 s2", "unexpected `s2` (too many arguments)", 14),
        ("crash", "missing a server to crash", 6),
        ("settle many", "expected a whole number for the most deliveries, found `many`", 8),
        ("set s1 term x", "expected a whole number for the term, found `x`", 13),
        ("set s1 term -1", "the term must be from 0 to 1000000000000, not `-1`", 13),
        ("set s1 colour red", "expected term, log, voted or commit after the server, found `colour`", 8),
        ("set s1 log 1 x", "expected a term (or TERM:VALUE) in the log, found `x`", 14),
        ("deliver s1->", "`->` needs a server on its right", 11),
        ("deliver ->s2", "`->` needs a server on its left", 9),
        ("deliver s1", "expected A->B, A->*, *->B or all after `deliver`, found `s1` alone", 9),
        ("deliver s1 s2", "expected `->` after `s1`, found `s2`", 12),
        ("deliver s1->s2 0", "the number of messages must be from 1 to 1000000000, not `0`", 16),
        ("deliver", "missing A->B, A->*, *->B or all after `deliver`", 8),
        ("partition s1 | | s2", "empty group before `|`", 16),
        ("partition s1 |", "empty group after `|`", 15),
        ("partition", "missing the groups, as in `partition s1 s2 | s3 s4 s5`", 10),
        ("cluster 0", "the number of servers must be from 1 to 1000, not `0`", 9),
        ("cluster 1001", "the number of servers must be from 1 to 1000, not `1001`", 9),
        ("cluster a a", "server name `a` is given twice", 11),
        ("cluster leader b", "`leader` cannot name a server: `leader` is a word of RaftScript (`leader` is the current leader)", 9),
        ("set loss 2", "expected a probability from 0 to 1, found `2`", 10),
        ("set election-timeout 9 5", "the election timeout must be LO HI with LO ≤ HI, not 9 5", 22),
        ("set noop maybe", "expected on or off for noop, found `maybe`", 10),
        ("expect", "missing what to expect (try `help expect`)", 7),
        ("expect s1 happy", "expected leader, follower, candidate, precandidate, down, up, term, voted, log, commit or votes, found `happy`", 11),
        ("expect s1 log", "missing the expected log terms, or `empty`", 14),
        ("tick until dawn", "expected `leader` after `tick until`, found `dawn`", 12),
        ("timeout ->", "expected a server to time out, found `->`", 9),
    ]

    @Test(arguments: errors)
    func reportsErrorsWithColumn(line: String, message: String, column: Int) {
        #expect(throws: ParseError(message, column: column)) { try Parser.parse(line) }
    }

    @Test func binaryGarbageIsOneShortLine() {
        let garbage = String(decoding: [0x00, 0xFF, 0x1B, 0x41, 0xC3, 0x28], as: UTF8.self)
        do {
            _ = try Parser.parse(garbage)
            Issue.record("garbage parsed")
        } catch {
            #expect(error.message.hasPrefix("unknown command `\\x00"))
            #expect(!error.message.contains("\u{1B}"))
        }
    }

    @Test func a200KilobyteLineGivesAShortError() {
        let line = "timeout " + String(repeating: "s", count: 200_000) + " extra"
        #expect(throws: ParseError.self) { try Parser.parse("frob" + line) }
        do {
            _ = try Parser.parse(String(repeating: "x", count: 200_000))
        } catch {
            #expect(error.message.count < 120)
        }
    }

    @Test func shellWordsAreSuggestedWhenGiven() {
        #expect(throws: ParseError("unknown command `undoo`; did you mean `undo`?", column: 1)) {
            try Parser.parse("undoo", extraCommands: ["undo"])
        }
    }
}
