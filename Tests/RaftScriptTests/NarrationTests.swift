import Testing

@testable import RaftScript

/// Narration at the moments that teach: a follower's acknowledgement raising
/// matchIndex, Figure 8 (c)'s uncommitted entry and why, crashes, restarts,
/// partitions and heals; every narrated line marked apart from `echo`.
@Suite(.timeLimit(.minutes(3)))
struct NarrationTests {
    @Test func aSuccessfulResponseRaisingMatchIndexIsNarrated() {
        let run = Run("timeout s1\nsettle\nset trace on\nsubmit s1 x\ndeliver s1->s2\ndeliver s2->s1", trace: false)
        #expect(run.lines.last == "· s1  s2 stores through index 1: matchIndex[s2] ← 1, nextIndex[s2] ← 2")
    }

    @Test func figure8cSaysWhyTheEarlierTermEntryIsNotCommitted() {
        // (c): s1 leads term 4 with 1 2; s2 already holds index 2; s3 gets it now.
        let run = Run("""
            set s1 log 1 2
            set s2 log 1 2
            set s3 log 1
            set s1 term 3
            timeout s1
            deliver s1->s2
            deliver s1->s3
            deliver s2->s1
            deliver s3->s1
            drop all
            expect s1 leader
            set trace on
            heartbeat s1
            deliver s1->s2
            deliver s2->s1
            deliver s1->s3
            deliver s3->s1
            deliver s1->s3
            deliver s3->s1
            """)
        #expect(run.diagnostics == [])
        #expect(run.interpreter.cluster[run.interpreter.cluster.id(named: "s1")!].commitIndex == 0)
        #expect(run.lines.suffix(2) == [
            "· s1  s3 stores through index 2: matchIndex[s3] ← 2, nextIndex[s3] ← 3",
            "· s1  index 2 is on a majority but holds an entry of term 2, not 4: a leader commits only entries of its own term by counting replicas (section 5.4.2), so it waits",
        ])
        // Each new replica says it again (s4 and s5 catch up here); answers that
        // add no replica do not.
        let catchUp = Run(run.interpreter, "heartbeat s1\nsettle")
        #expect(catchUp.lines.count { $0.contains("section 5.4.2") } == 2)
        let again = Run(catchUp.interpreter, "heartbeat s1\nsettle")
        #expect(again.diagnostics == [])
        #expect(!again.lines.contains { $0.contains("section 5.4.2") })
        #expect(again.lines.contains("· settled after 8 deliveries"))
    }

    @Test func crashRestartPartitionAndHealAreNarrated() {
        let run = Run("timeout s1\nset trace on\ncrash s2 s3\nrestart s3\npartition s1 | s4 s5\nheal\nheal", trace: false)
        #expect(run.lines == [
            "· s2  crashes: it handles nothing until it restarts; messages to it are lost (1 in flight now)",
            "· s3  crashes: it handles nothing until it restarts; messages to it are lost (1 in flight now)",
            "·     RequestVote s1->s2 lost (s2 is down)",
            "·     RequestVote s1->s3 lost (s3 is down)",
            "· s3  restarts as FOLLOWER: term 0, votedFor none and its log (0 entries) kept; commit index 0, as it is volatile",
            "·     network partitioned: s1 | s4 s5 | s2 s3; messages between groups are lost until `heal`",
            "·     RequestVote s1->s4 lost (partition)",
            "·     RequestVote s1->s5 lost (partition)",
            "·     network healed: every server reaches every other again (nothing lost comes back)",
            "·     heal: the network was not partitioned",
        ])
    }

    @Test func echoLinesAreNotMarkedAndNarrationIsNotShownWithoutTrace() {
        let run = Run("echo s1  looks like narration\ntimeout s1\ncrash s2")
        #expect(run.lines == ["s1  looks like narration"])
    }

    @Test func colourDimsTheMarkerAndKeepsTheWords() {
        let painted = Highlighter().line("· s1  3/5 votes → LEADER of term 1")
        #expect(painted.hasPrefix("\u{1B}[2m· \u{1B}[0m"))
        #expect(painted.contains("\u{1B}[1;32mLEADER\u{1B}[0m"))
        #expect(Highlighter().line(Session.passed) == "\u{1B}[32m✓\u{1B}[0m")
        #expect(Highlighter().line("✓ expect s1 up") == "\u{1B}[32m✓\u{1B}[0m expect s1 up")
        #expect(Highlighter().line("✗ expect s1 up").hasPrefix("\u{1B}[1;31m✗\u{1B}[0m expect s1 "))
    }
}

extension Run {
    /// Runs more lines on an interpreter another run left, with its settings.
    init(_ interpreter: Interpreter, _ text: String) {
        var lines: [String] = []
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: interpreter) { output in
            switch output {
            case .line(let line): lines.append(line)
            case .diagnostic(let diagnostic): diagnostics.append(diagnostic.description)
            }
        }
        summary = runner.run(script: text, named: "t.raftscript")
        self.interpreter = runner.interpreter
        self.lines = lines
        self.diagnostics = diagnostics
    }
}

/// `crash` and `restart` take several servers, like `timeout`.
@Suite(.timeLimit(.minutes(3)))
struct SeveralServersTests {
    @Test func crashAndRestartSeveralInOrder() {
        let run = Run("crash s2 s3\nexpect s2 down\nexpect s3 down\nexpect s4 up\nrestart s3 s2\nexpect s2 up\nexpect s3 up")
        #expect(run.diagnostics == [])
    }

    @Test func oneBadNameLeavesEveryServerAsItWas() {
        let down = Run("crash s3\ncrash s2 s3")
        #expect(down.diagnostics == ["t.raftscript:2: error: s3 is down"])
        #expect(down.interpreter.cluster.isUp == [true, true, false, true, true])
        let twice = Run("crash s2 s2")
        #expect(twice.diagnostics == ["t.raftscript:1: error: s2 is named twice"])
        #expect(twice.interpreter.cluster.isUp.allSatisfy { $0 })
        let up = Run("crash s2\nrestart s2 s4")
        #expect(up.diagnostics == ["t.raftscript:2: error: s4 is already up"])
        #expect(up.interpreter.cluster.isUp == [true, false, true, true, true])
    }

    @Test func completionOffersTheServersNotYetNamed() {
        let completer = Completer(servers: ["s1", "s2", "s3"], downServers: ["s2", "s3"])
        #expect(completer.complete("crash s1 ", cursor: 9).candidates == [])
        #expect(Completer(servers: ["s1", "s2", "s3"]).complete("crash s1 ", cursor: 9).candidates == ["s2", "s3"])
        #expect(completer.complete("restart s2 ", cursor: 11).candidates == ["s3"])
    }
}

/// Narration wraps at a terminal's width too, each sentence under its start.
@Suite(.timeLimit(.minutes(3)))
struct NarrationWrapTests {
    @Test func aLongSentenceWrapsUnderItsStart() throws {
        var interpreter = try Interpreter(trace: true)
        interpreter.settings.width = 50
        let lines = try interpreter.run(.timeout([.named("s1")])).lines
        #expect(lines == [
            "· s1  election timeout → CANDIDATE, term 1, votes",
            "      for itself, RequestVote → s2 s3 s4 s5",
        ])
    }
}
