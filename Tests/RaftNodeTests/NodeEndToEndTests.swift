import Foundation
import Testing

/// The built `raftsh` binary driving node programs: what a student sees.
@Suite(.enabled(if: Paths.hasPython && Paths.binary != nil, "python3 and the raftsh product are needed"), .timeLimit(.minutes(4)))
struct NodeEndToEndTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs raftsh to its end; `signal` is sent once `isReady` holds (polled).
    static func raftsh(_ arguments: [String], stdin: String = "", signal: (Int32, ready: () -> Bool)? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary!)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Paths.root)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "dumb"
        process.environment = environment
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        if let (number, ready) = signal {
            let deadline = Date().addingTimeInterval(20)
            while !ready(), Date() < deadline { usleep(20_000) }
            kill(process.processIdentifier, number)
        }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func script(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "raftsh-node-\(UUID().uuidString).raftscript"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func theScenarioLibraryPassesAgainstThePythonExampleAndSkipsWhatNeedsRaftshsOwn() throws {
        let junit = NSTemporaryDirectory() + "raftsh-junit-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let result = try Self.raftsh(["test", "--node", Paths.node(Paths.example), "--junit", junit, "scripts"])
        #expect(result.status == 0)
        let summary = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasSuffix("passed, 0 failed, 10 skipped"), "\(result.stdout)")
        #expect(result.stdout.contains("skipped scripts/unsafe/vote-twice.raftscript: it uses `set unsafe`"))
        // The JUnit file: one test case per script, skipped ones marked.
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        let scripts = try FileManager.default.subpathsOfDirectory(atPath: Paths.scripts).count { $0.hasSuffix(".raftscript") }
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == scripts)
        #expect(xml.components(separatedBy: "<skipped ").count - 1 == 10)
        #expect(!xml.contains("<failure"))
    }

    @Test func aFailedExpectationUnderJUnitIsAFailureWithItsPlace() throws {
        let junit = NSTemporaryDirectory() + "raftsh-junit-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let failing = Self.script("timeout s1\nsettle\nexpect s2 leader\n")
        let result = try Self.raftsh(["test", "--node", Paths.node(Paths.example), "--junit", junit, failing])
        #expect(result.status == 1)
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"<failure message="s2 is FOLLOWER, expected LEADER" type="expect failed">\#(failing):3: expect failed: s2 is FOLLOWER, expected LEADER</failure>"#))
    }

    /// Section 7 of the protocol: each misbehaviour is one `FILE:LINE: error: node: …` line and status 2.
    @Test(arguments: [
        ("garbage", "(timeout): the answer is not JSON"),
        ("missing_field", "(timeout): state has no \"commitIndex\""),
        ("wrong_type", "(timeout): state.term is \"1\", not an integer ≥ 0"),
        ("message_to_itself", "is addressed to the server itself"),
        ("message_to_unknown", "which is not a server of the cluster"),
        ("commit_beyond_log", "(timeout): commitIndex 1 is beyond the log's 0 entries"),
        ("error_answer", "(timeout): the node reports an error: "),
        ("exits_mid_run", "the program exited (status 1)"),
    ])
    func aMisbehavingNodeIsOneErrorLineAtItsCommand(fixture: String, expected: String) throws {
        let command = fixture == "exits_mid_run" ? "RAFTNODE_FIXTURE_STEPS=6 " + Paths.node(Paths.fixture(fixture)) : Paths.node(Paths.fixture(fixture))
        let script = Self.script("# a comment\ntimeout s1\nsettle\necho never printed\n")
        defer { try? FileManager.default.removeItem(atPath: script) }
        let result = try Self.raftsh(["--node", command, script])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("\(script):2: error: node: s1 "), "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stdout.contains("never printed"))
    }

    @Test func aProgramThatCannotStartOrGreetIsOneLine() throws {
        for (command, expected) in [
            (Paths.node(Paths.fixture("exits_at_once")), "raftsh: error: node: (handshake): the program exited (status 3)"),
            (Paths.node(Paths.fixture("bad_handshake")), "raftsh: error: node: (handshake): this raftsh speaks protocol 1"),
            ("/nonexistent/node", "raftsh: error: node: (handshake): the program exited (status 127)"),
        ] {
            let result = try Self.raftsh(["--node", command, Self.script("timeout s1\n")])
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
        }
    }

    @Test func aHungNodeIsStoppedByTheTimeLimit() throws {
        let result = try Self.raftsh(["--node", Paths.node(Paths.fixture("never_answers")), "--node-timeout", "0.5", Self.script("timeout s1\n")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no answer within 0.5 s (--node-timeout)"))
    }

    /// However raftsh ends — an error, a signal — the program and what it started are gone.
    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func noProcessIsLeftBehindWhenRaftshIsStopped(signal: Int32) throws {
        let marker = "31\(Int.random(in: 100_000..<999_999))"
        // The shell runs the node, then a sleep that outlives it unless its group is killed.
        // The marker is also the program's (unread) argument, so that readiness is
        // this run's program and not that of a test running beside it.
        let command = Paths.node(Paths.fixture("never_answers")) + " \(marker); sleep \(marker)"
        // Ready once the program itself runs: its command line is python's alone.
        let program = "python3 " + Paths.fixture("never_answers") + " \(marker)"
        let result = try Self.raftsh(["--node", command, Self.script("timeout s1\n")], signal: (signal, { Paths.isRunning { $0.contains(program) && !$0.contains("; sleep") } }))
        #expect(result.status == 128 + signal, "\(result.stderr)")
        usleep(200_000)
        #expect(!Paths.isRunning("sleep \(marker)"))
    }

    @Test func theShellSaysWhichServersRun() throws {
        let result = try Self.raftsh(["--node", Paths.node(Paths.example)], stdin: "timeout s1\nsettle\nshow\nshow s1\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("servers: node \"leader_election.py"))
        #expect(result.stdout.contains("nextIndex    s2=1 s3=1 s4=1 s5=1"))
        let unsafe = try Self.raftsh(["--node", Paths.node(Paths.example)], stdin: "set unsafe vote-twice on\n")
        #expect(unsafe.status == 2)
        #expect(unsafe.stderr.contains("`set unsafe` breaks a rule of raftsh's own servers"))
    }

    // MARK: - Finding the bugs (issue 18), with budgets small enough for the suite

    static func buggy(_ name: String) -> String {
        Paths.node(Paths.root + "/examples/python/buggy/\(name).py")
    }

    /// Each finds its bug within a small budget, shrinks it, and the script it
    /// writes fails the same way against the same program and holds against the
    /// correct example.
    @Test(arguments: [
        ("vote_twice", ["--runs", "3", "--steps", "300", "--no-clients", "--no-crashes", "--no-partitions"], "Election Safety"),
        ("keep_stale_term", ["--runs", "1", "--steps", "1000"], "Election Safety"),
        ("no_uptodate_check", ["--runs", "1", "--steps", "500"], "Leader Completeness"),
    ])
    func simulateFindsAStudentsBugAndShrinksItToAReplayableScript(bug: String, budget: [String], property: String) throws {
        let output = NSTemporaryDirectory() + "raftsh-cx-\(UUID().uuidString).raftscript"
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: (output as NSString).deletingPathExtension + ".html")
        }
        let result = try Self.raftsh(["simulate", "--node", Self.buggy(bug), "--jobs", "1", "--output", output] + budget)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("shrunk from"))
        let script = try String(contentsOfFile: output, encoding: .utf8)
        #expect(script.hasPrefix("# Found by raftsh simulate --node "))
        #expect(script.contains("#   raftsh --node "))
        let events = script.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty && $0 != "expect safe" && !$0.hasPrefix("cluster") }
        #expect(events.count <= 40)
        // Its page is drawn from the same program's run, so it shows the break.
        let page = try String(contentsOfFile: (output as NSString).deletingPathExtension + ".html", encoding: .utf8)
        #expect(page.contains("not safe: \(property)"))
        let replay = try Self.raftsh(["--node", Self.buggy(bug), output])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("expect failed: not safe: \(property)"))
        #expect(try Self.raftsh(["--node", Paths.node(Paths.example), output]).status == 0)
    }

    @Test func theCorrectExampleSurvivesASimulationWithEveryKindOfEvent() throws {
        let result = try Self.raftsh(["simulate", "--node", Paths.node(Paths.example), "--runs", "2", "--steps", "1500", "--loss", "0.05", "--duplicate", "0.05", "--jobs", "2"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("no safety violation"))
    }

    @Test func exploreFindsAStudentsBugWithinSmallBounds() throws {
        let output = NSTemporaryDirectory() + "raftsh-ex-\(UUID().uuidString).raftscript"
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: (output as NSString).deletingPathExtension + ".html")
        }
        let result = try Self.raftsh(["explore", "--node", Self.buggy("vote_twice"), "--max-term", "1", "--max-log", "0", "--max-in-flight", "4", "--output", output])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("violation at depth 8: Election Safety"))
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("# Found by raftsh explore --node "))
        let correct = try Self.raftsh(["explore", "--node", Paths.node(Paths.example), "--max-term", "1", "--max-log", "0", "--max-in-flight", "4"])
        #expect(correct.status == 0, "\(correct.stdout)\(correct.stderr)")
    }

    @Test func aNondeterministicNodeIsCaughtWithBothAnswers() throws {
        let result = try Self.raftsh(["simulate", "--node", Paths.node(Paths.fixture("nondeterministic")), "--check-determinism", "--runs", "2", "--steps", "300", "--jobs", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not deterministic (protocol section 8): asked the same request twice, "), "\(result.stderr)")
        #expect(result.stderr.contains(" was "))
        #expect(result.stderr.contains(" and then "))
        // Without the check, the same program runs (and its answers are taken as they come).
        let unchecked = try Self.raftsh(["simulate", "--node", Paths.node(Paths.fixture("nondeterministic")), "--runs", "1", "--steps", "100", "--jobs", "1"])
        #expect(unchecked.status != 2)
    }

    /// Several instances of the program step the successors at once, with the
    /// same answer as one: the same distinct states, the same shortest counterexample.
    @Test func exploreOnSeveralInstancesGivesTheSameAnswer() throws {
        let bounds = ["--max-term", "1", "--max-log", "0", "--max-in-flight", "3"]
        let one = try Self.raftsh(["explore", "--node", Paths.node(Paths.example), "--jobs", "1"] + bounds)
        let two = try Self.raftsh(["explore", "--node", Paths.node(Paths.example), "--jobs", "3"] + bounds)
        #expect(one.status == 0 && two.status == 0, "\(one.stderr)\(two.stderr)")
        let counts = { (result: Result) in result.stdout.split(separator: ",").first.map(String.init) }
        #expect(counts(one) != nil && counts(one) == counts(two), "\(one.stdout) / \(two.stdout)")
        let a = NSTemporaryDirectory() + "raftsh-j1-\(UUID().uuidString).raftscript", b = NSTemporaryDirectory() + "raftsh-j3-\(UUID().uuidString).raftscript"
        defer { for path in [a, b] { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: (path as NSString).deletingPathExtension + ".html") } }
        let bug = ["explore", "--node", Self.buggy("vote_twice"), "--max-term", "1", "--max-log", "0", "--max-in-flight", "4"]
        #expect(try Self.raftsh(bug + ["--jobs", "1", "--output", a]).status == 1)
        #expect(try Self.raftsh(bug + ["--jobs", "3", "--output", b]).status == 1)
        let body = { (path: String) in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") } }
        #expect(try body(a) == body(b))
    }
}
