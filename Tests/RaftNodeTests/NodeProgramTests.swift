import Foundation
import RaftCluster
import RaftCore
import Testing

@testable import RaftNode
@testable import RaftScript

/// A user's program behind the cluster's seam: the same commands as with
/// raftsh's own servers, the same outcome, and a failing program turned into
/// an error the shell survives.
@Suite(.enabled(if: Paths.hasPython, "python3 is needed"), .serialized, .timeLimit(.minutes(4)))
struct NodeProgramTests {
    static let example = Paths.node(Paths.example)

    /// The scenario library against the Python example, line by line beside
    /// raftsh's own servers: after every line, every server's Figure 2 state
    /// and every message in flight are the same.
    @Test func theExampleBehavesAsRaftshsOwnServersOnEveryScript() throws {
        let node = try Node(command: Self.example)
        defer { node.stop() }
        var compared = 0
        for script in TestRunner.scripts(under: Paths.scripts).scripts where !script.hasSuffix(TestRunner.exerciseSuffix) {
            guard TestRunner.needsOwnServers(script, program: node) == nil else { continue }
            var own = ScriptRunner(interpreter: try Interpreter()) { _ in }
            var theirs = ScriptRunner(interpreter: try Interpreter(implementation: .program(node))) { _ in }
            let text = try ScriptFile.text(script)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let location = SourceLocation(file: script, line: number + 1)
                let a = own.run(line: String(line), at: location)
                let b = theirs.run(line: String(line), at: location)
                #expect(a == b, "\(script):\(number + 1): \(line)")
                let (x, y) = (own.interpreter.cluster, theirs.interpreter.cluster)
                #expect(x.servers.map(Self.figure2) == y.servers.map(Self.figure2), "\(script):\(number + 1): \(line)")
                #expect(x.network.messages.map(\.message) == y.network.messages.map(\.message), "\(script):\(number + 1): \(line)")
                #expect(x.electionDeadline == y.electionDeadline, "\(script):\(number + 1): \(line)")
                compared += 1
                if a == .error { break }
            }
        }
        #expect(compared > 300)
    }

    /// A server's state as Figure 2 has it (a leader's own slot of nextIndex and
    /// matchIndex is no part of it), in a line.
    static func figure2(_ server: Server) -> String {
        var text = "\(server.role.kind) t\(server.currentTerm) v\(server.votedFor.map(String.init(describing:)) ?? "-") "
            + "log \(server.log.entries.map { "\($0.term):\($0.value)" }) c\(server.commitIndex)"
        if let votes = server.role.votes { text += " votes \(votes.members)" }
        if case .leader(let leadership) = server.role {
            text += " progress \(server.peers.map { "\(leadership.progress[$0.index].nextIndex)/\(leadership.progress[$0.index].matchIndex)" })"
        }
        return text
    }

    /// A node whose handshake lists none of section 10's features: turning them
    /// on, or a transfer, is an error that names the missing feature.
    @Test func aNodeWithoutTheFeaturesRefusesTheExtensions() throws {
        let node = try Node(command: Paths.node(Paths.fixture("no_extensions")))
        defer { node.stop() }
        #expect(node.features.isEmpty)
        var interpreter = try Interpreter(implementation: .program(node))
        for (line, feature) in [("set prevote on", "prevote"), ("set checkquorum on", "checkquorum"), ("transfer s1 s2", "transfer")] {
            #expect(throws: CommandError.self) { _ = try interpreter.run(try #require(try Parser.parse(line))) }
            do {
                _ = try interpreter.run(try #require(try Parser.parse(line)))
            } catch {
                #expect("\(error)".contains("does not support `\(feature)`"), "\(error)")
            }
        }
        // Turning them off is fine, and so is everything of version 1.
        _ = try interpreter.run(try #require(try Parser.parse("set prevote off")))
        _ = try interpreter.run(try #require(try Parser.parse("timeout s1")))
        #expect(interpreter.cluster[ServerID(0)].role.kind == .candidate)
    }

    /// The example lists the features, and runs Pre-Vote and transfers as raftsh's own servers do.
    @Test func theExampleRunsTheExtensions() throws {
        let node = try Node(command: Self.example)
        defer { node.stop() }
        #expect(node.features == ["prevote", "checkquorum", "transfer"])
        var runner = ScriptRunner(interpreter: try Interpreter(implementation: .program(node))) { _ in }
        let summary = runner.run(script: """
            set prevote on
            set checkquorum on
            timeout s1
            expect s1 precandidate
            settle
            expect s1 leader
            transfer s1 s2
            drop s1->s2
            submit s1 x
            expect s1 log empty
            timeout s1
            transfer s1 s3
            settle
            expect s3 leader
            expect s3 term 2
            """, named: "t.raftscript")
        #expect(summary.exitStatus == 0)
    }

    @Test func aFailingProgramIsAClusterErrorAndTheNextStepStartsAFreshProcess() throws {
        // Steps 1–5 create the servers, 6 is `timeout s1`; the 7th kills the process.
        let node = try Node(command: "RAFTNODE_FIXTURE_STEPS=7 " + Paths.node(Paths.fixture("exits_mid_run")))
        defer { node.stop() }
        var interpreter = try Interpreter(implementation: .program(node))
        _ = try interpreter.run(.timeout([.named("s1")]))
        let before = interpreter.cluster
        do {
            _ = try interpreter.run(.deliver(.link(from: .named("s1"), to: .named("s2"), count: 1)))
            Issue.record("the program should have failed")
        } catch {
            #expect(error.message.hasPrefix("node: s2 (receive RequestVote from s1): the program exited (status 1)"))
        }
        // A fresh process (counting its steps anew) answers the same request in
        // the state before (the shell takes a failed command back; see below).
        var fresh = try Interpreter(implementation: .program(node))
        fresh.cluster = before
        _ = try fresh.run(.deliver(.link(from: .named("s1"), to: .named("s2"), count: 1)))
        #expect(fresh.cluster[ServerID(1)].votedFor == ServerID(0))
    }

    /// Three fresh servers of a program, and a request of each one's election timeout.
    static func timeouts(on node: Node) throws -> [ProgramRequest] {
        let context = ProgramContext(names: ["s1", "s2", "s3"], configuration: Configuration())
        return try (0..<3).map { index in
            var server = ProgramServer(server: Server(id: ServerID(index), clusterSize: 3), state: ProgramState())
            var scratch = context, output = Output()
            try node.step(.initialize, of: &server, in: &scratch, into: &output)
            return ProgramRequest(step: .event(.electionTimeout), server: server, context: context)
        }
    }

    static func answer(_ request: ProgramRequest, on node: Node) throws -> (ProgramServer, [Envelope]) {
        var server = request.server, context = request.context, output = Output()
        try node.step(request.step, of: &server, in: &context, into: &output)
        return (server, Array(output.messages))
    }

    @Test func requestsAskedAheadAreAnsweredAsIfAskedOneByOne() throws {
        let node = try Node(command: Self.example)
        defer { node.stop() }
        let requests = try Self.timeouts(on: node)
        let oneByOne = try requests.map { try Self.answer($0, on: node) }
        node.askAhead(requests)
        let ahead = try requests.map { try Self.answer($0, on: node) }
        #expect(ahead.map(\.0) == oneByOne.map(\.0))
        #expect(ahead.map(\.1) == oneByOne.map(\.1))
        #expect(ahead[0].0.server.role.kind == .candidate)
        // The handshake, 3 creations, 3 timeouts one by one, then the 3 asked ahead at once: none asked again.
        #expect(node.timing.steps == 10)
        // A request not announced is asked as usual, and what was kept is dropped.
        node.askAhead(requests)
        #expect(try Self.answer(requests[2], on: node).0 == oneByOne[2].0)
        #expect(try Self.answer(requests[0], on: node).0 == oneByOne[0].0)
        #expect(node.timing.steps == 15)
    }

    @Test func aProgramThatExitsWhileAskedAheadFailsAtTheStepItDidNotAnswer() throws {
        // Steps 1–3 create the servers; the 5th request kills the process.
        let node = try Node(command: "RAFTNODE_FIXTURE_STEPS=5 " + Paths.node(Paths.fixture("exits_mid_run")))
        defer { node.stop() }
        let requests = try Self.timeouts(on: node)
        node.askAhead(requests)
        _ = try Self.answer(requests[0], on: node)
        do {
            _ = try Self.answer(requests[1], on: node)
            Issue.record("the program should have failed")
        } catch let failure as ProgramFailure {
            #expect(failure.message.hasPrefix("(timeout): the program exited (status 1)"), "\(failure.message)")
        }
        // The next step starts a fresh process, which answers.
        #expect(try Self.answer(requests[2], on: node).0.server.currentTerm == 1)
    }

    @Test func theShellTakesTheCommandBackAndGoesOn() throws {
        let node = try Node(command: Paths.node(Paths.fixture("error_answer")))
        defer { node.stop() }
        var diagnostics: [String] = []
        var session = Session(interpreter: try Interpreter(implementation: .program(node)), mode: .interactive) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        var input = Lines(["set s1 term 3", "timeout s2", "timeout s1", "expect s1 term 3", "expect s1 follower", "expect pending 0"])
        #expect(session.run(&input) == 0)
        #expect(diagnostics.count == 2)
        #expect(diagnostics.allSatisfy { $0.hasPrefix("error: node: s") && $0.contains("(timeout): the node reports an error") })
        #expect(session.interpreter.cluster[ServerID(0)].currentTerm == 3)
    }

    /// `expect error COMMAND` holds when the command is an error, but a program
    /// that fails while it is tried is no such error: it stops the script (section 10).
    @Test func aFailingProgramUnderExpectErrorStopsTheScript() throws {
        let node = try Node(command: Paths.node(Paths.fixture("error_answer")))
        defer { node.stop() }
        for line in ["expect error timeout s1", "expect not error timeout s1"] {
            var diagnostics: [String] = []
            var runner = ScriptRunner(interpreter: try Interpreter(implementation: .program(node))) { output in
                if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
            }
            let summary = runner.run(script: "expect error heartbeat s1\n\(line)\necho never", named: "t.raftscript")
            #expect(summary.exitStatus == 2, "\(line)")
            #expect(diagnostics.count == 1, "\(diagnostics)")
            #expect(diagnostics.first?.hasPrefix("t.raftscript:2: error: node: s1 (timeout): the node reports an error") == true, "\(diagnostics)")
        }
    }

    /// `undo` and `save` replay and write commands, so they work as with raftsh's
    /// own servers: the program is only asked again.
    @Test func undoAndSaveWorkAgainstAProgram() throws {
        let node = try Node(command: Self.example)
        defer { node.stop() }
        let saved = NSTemporaryDirectory() + "raftsh-node-save-\(UUID().uuidString).raftscript"
        defer { try? FileManager.default.removeItem(atPath: saved) }
        var diagnostics: [String] = []
        var session = Session(interpreter: try Interpreter(implementation: .program(node)), mode: .interactive) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        var input = Lines([
            "timeout s1", "settle", "submit s1 x=1", "settle", "undo", "undo",
            "expect s1 leader", "expect s2 log empty", "deliver all", "save \(saved)",
        ])
        #expect(session.run(&input) == 0)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        var replay = ScriptRunner(interpreter: try Interpreter(implementation: .program(node))) { _ in }
        #expect(replay.run(file: saved).exitStatus == 0)
        #expect(replay.interpreter.cluster.servers.map(Self.figure2) == session.interpreter.cluster.servers.map(Self.figure2))
    }

    @Test func noProcessIsLeftBehindOnceStopped() throws {
        let marker = "raftsh-node-test-\(UUID().uuidString.prefix(8))"
        let node = try Node(command: Paths.node(Paths.example) + " \(marker)")
        #expect(Paths.isRunning(marker))
        node.stop()
        #expect(!Paths.isRunning(marker))
    }

    @Test func aHungProgramIsEndedAtTheTimeLimit() throws {
        let node = try Node(command: Paths.node(Paths.fixture("never_answers")), timeLimit: .seconds(3))
        defer { node.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: ClusterError.self) { try Cluster(size: 3, implementation: .program(node)) }
        #expect(clock.now - start < .seconds(8))
    }

    @Test func aProgramFloodingStandardErrorNeverBlocks() throws {
        let node = try Node(command: Paths.node(Paths.fixture("floods_stderr")))
        defer { node.stop() }
        var interpreter = try Interpreter(implementation: .program(node))
        _ = try interpreter.run(.timeout([.named("s1")]))
        _ = try interpreter.run(.settle(nil))
        for round in 0..<5 {
            _ = try interpreter.run(.submit(.named("s1"), "x\(round)"))
            _ = try interpreter.run(.settle(nil))
        }
        #expect(interpreter.cluster[ServerID(0)].role.kind == .leader)
        #expect(interpreter.cluster[ServerID(4)].commitIndex == 4)
    }
}

/// Lines for a session, as a person would type them.
private struct Lines: LineSource {
    var lines: [String]

    init(_ lines: [String]) {
        self.lines = lines
    }

    mutating func nextLine(prompt: String, completer: Completer) -> String? {
        lines.isEmpty ? nil : lines.removeFirst()
    }
}
