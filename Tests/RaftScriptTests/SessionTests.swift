import Foundation
import RaftCluster
import RaftCore
import Testing

@testable import RaftScript

/// A session fed with scripted lines, keeping what it printed.
private final class ShellRun {
    var lines: [String] = []
    var diagnostics: [String] = []
    var session: Session
    var status: Int32 = 0
    var prompts: [String] = []

    /// `memory` limits the states kept for undo: `nil` keeps none, so undo and
    /// error recovery replay the session.
    init(_ input: [String], mode: Session.Mode = .interactive, servers: Int = 5, trace: Bool = false, memory: (limit: Int, budget: Int)? = (50_000, 1_000_000), undoLimit: Int = 1000) {
        var printed: [String] = []
        var reported: [String] = []
        session = Session(interpreter: try! Interpreter(servers: servers, trace: trace), mode: mode) { output in
            switch output {
            case .line(let line): printed.append(line)
            case .diagnostic(let diagnostic): reported.append(diagnostic.description)
            }
        }
        session.snapshotLimit = memory?.limit ?? -1
        session.snapshotBudget = memory?.budget ?? 0
        session.undoLimit = undoLimit
        var source = ScriptedLines(input)
        status = session.run(&source)
        prompts = source.prompts
        lines = printed
        diagnostics = reported
    }

    var cluster: Cluster { session.interpreter.cluster }
}

/// A scratch folder for files the session writes and sources.
private final class Scratch {
    let path = NSTemporaryDirectory() + "raftsh-session-" + UUID().uuidString

    init() {
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ text: String? = nil) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        if let text { try! text.write(toFile: file, atomically: true, encoding: .utf8) }
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The state a script's lines build from a fresh cluster.
private func state(after script: String, servers: Int = 5) throws -> Interpreter {
    var runner = ScriptRunner(interpreter: try Interpreter(servers: servers)) { _ in }
    let summary = runner.run(script: script, named: "t")
    #expect(summary.exitStatus == 0)
    return runner.interpreter
}

@Suite("The shell's session", .timeLimit(.minutes(3)))
struct SessionTests {
    // MARK: undo

    @Test func undoRevertsTheLastStateChange() throws {
        let run = ShellRun(["timeout s1", "show", "expect s1 candidate", "settle", "undo"])
        #expect(run.cluster == (try state(after: "timeout s1").cluster))
        #expect(run.lines.last == "undone: settle")
        #expect(run.diagnostics.isEmpty)
    }

    @Test func undoSeveralSaysWhatAndHowMany() throws {
        let run = ShellRun(["timeout s1", "settle", "submit leader x=1", "undo 2", "undo 5", "undo"])
        #expect(run.cluster == (try state(after: "").cluster))
        #expect(run.lines == ["undone: submit leader x=1", "undone: settle", "undone: timeout s1", "(only 1 to undo)"])
        #expect(run.diagnostics == ["error: nothing to undo"])
        #expect(run.status == 0)
    }

    @Test func undoRestoresOptionsAndTheNetwork() throws {
        let run = ShellRun(["set seed 7", "set noop on", "partition s1 | s2", "undo 2"])
        #expect(run.cluster == (try state(after: "set seed 7").cluster))
        #expect(run.cluster.groups == nil)
        #expect(run.session.undoable == ["set seed 7"])
    }

    @Test func undoKeepsTheTraceSetting() {
        let run = ShellRun(["timeout s1", "set trace on", "undo"])
        #expect(run.session.interpreter.settings.trace)
        #expect(run.lines.last == "undone: timeout s1")
    }

    @Test func undoRejectsABadCount() {
        let run = ShellRun(["timeout s1", "undo 0", "undo x", "undo 1 2"])
        #expect(run.diagnostics.count == 3)
        #expect(run.session.undoable == ["timeout s1"])
    }

    // MARK: errors and expectations at the prompt

    @Test func aFailedExpectationSaysWhatAndGoesOn() {
        let run = ShellRun(["timeout s1", "expect s1 leader", "echo still here"])
        #expect(run.diagnostics == ["expect failed: s1 is CANDIDATE, expected LEADER"])
        #expect(run.lines.last == "still here")
        #expect(run.status == 0)
    }

    @Test func aFailedCommandChangesNothing() throws {
        // s2 times out, then s1 (a LEADER) cannot: the whole line is taken back.
        let run = ShellRun(["timeout s1", "settle", "timeout s2 s1", "echo on"])
        #expect(run.cluster == (try state(after: "timeout s1\nsettle").cluster))
        #expect(run.diagnostics.count == 1)
        #expect(run.diagnostics[0].contains("s1 is LEADER"))
        #expect(run.diagnostics[0].contains("what it had done is undone"))
        #expect(run.lines.last == "on")
        #expect(run.session.undoable == ["timeout s1", "settle"])
    }

    @Test func unknownCommandsSuggestTheShellsToo() {
        let run = ShellRun(["undp", "qit", "tmeout s1"])
        #expect(run.diagnostics == [
            "error: unknown command `undp`; did you mean `undo`?",
            "error: unknown command `qit`; did you mean `quit`?",
            "error: unknown command `tmeout`; did you mean `timeout`?",
        ])
    }

    @Test func helpListsTheShellCommands() {
        let run = ShellRun(["help"])
        #expect(run.lines.contains { $0.hasPrefix("  undo ") })
        #expect(run.lines.contains { $0.hasPrefix("  save ") })
        #expect(run.lines.contains { $0.hasPrefix("  quit ") })
        #expect(run.lines.contains { $0.hasPrefix("  timeout ") })
        let one = ShellRun(["help save"])
        #expect(one.lines.first == "usage: save FILE")
        #expect(one.lines.last == "example: save figure7.raftscript")
        #expect(ShellRun(["help undu"]).diagnostics == ["error: no help for `undu`; did you mean `undo`?"])
    }

    // MARK: the prompt

    @Test func thePromptShowsLeaderTermAndTraffic() {
        let run = ShellRun(["timeout s1", "settle", "timeout s2", "crash s1"])
        #expect(run.prompts == [
            "raft[no leader t0]> ",
            "raft[no leader t1, 4 in flight]> ",
            "raft[s1 leader t1]> ",
            "raft[s1 leader t1, highest t2, 4 in flight]> ",
            "raft[no leader t2, 3 in flight]> ",
        ])
    }

    // MARK: quit

    @Test func quitAndExitLeaveWithZero() {
        for word in ["quit", "exit", "QUIT"] {
            let run = ShellRun(["timeout s1", word, "echo not reached"])
            #expect(run.status == 0)
            #expect(!run.lines.contains("not reached"))
        }
        let end = ShellRun(["expect s1 leader"])
        #expect(end.status == 0, "at the prompt a failed expect is not an exit status")
    }

    @Test func quitTakesNoArguments() {
        let run = ShellRun(["quit now", "echo reached"])
        #expect(run.diagnostics == ["error: `quit` takes no arguments"])
        #expect(run.lines == ["reached"])
    }

    // MARK: save

    @Test func saveRebuildsTheState() throws {
        let scratch = Scratch()
        let file = scratch.file("session.raftscript")
        let run = ShellRun([
            "set noop on", "set seed 9", "timeout s1", "settle", "submit leader x=1", "deliver s1->s2",
            "show", "expect s1 leader", "crash s3", "undo", "partition s1 s2 | s3", "timeout s4 s5",
            "set trace on", "drop all", "save \(file)",
        ])
        #expect(run.diagnostics.isEmpty)
        #expect(run.lines.last == "saved 9 commands to \(file)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains("crash"), "undone commands are left out")
        #expect(!text.contains("show"))
        #expect(!text.contains("trace"))
        var fresh = ScriptRunner(interpreter: try Interpreter()) { _ in }
        #expect(fresh.run(file: file).exitStatus == 0)
        #expect(fresh.interpreter.cluster == run.cluster)
    }

    /// Cuts are undone with the rest of the state, and a saved session replays them.
    @Test func undoAndSaveCoverCuts() throws {
        let scratch = Scratch()
        let file = scratch.file("cuts.raftscript")
        let run = ShellRun(["cut s1 s3", "cut s2->s4", "undo", "timeout s1", "heal s3->s1", "save \(file)"])
        #expect(run.diagnostics.isEmpty)
        #expect(run.cluster.cuts.links.map { "\($0.from.index)->\($0.to.index)" } == ["0->2"])
        var fresh = ScriptRunner(interpreter: try Interpreter()) { _ in }
        #expect(fresh.run(file: file).exitStatus == 0)
        #expect(fresh.interpreter.cluster == run.cluster)
        let undone = ShellRun(["cut s1 s3", "heal", "undo"])
        #expect(undone.cluster.cuts.count == 2)
    }

    @Test func saveAndUndoReplayTheElectionExtensions() throws {
        let scratch = Scratch()
        let file = scratch.file("extensions.raftscript")
        let run = ShellRun([
            "set prevote on", "set checkquorum on", "timeout s1", "settle", "submit s1 a", "drop s1->s3",
            "settle", "transfer s1 s3", "transfer s1 s2", "undo", "deliver s1->s3", "save \(file)",
        ])
        #expect(run.diagnostics.isEmpty)
        #expect(run.lines.contains("undone: transfer s1 s2"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("set prevote on\nset checkquorum on\n"))
        #expect(text.contains("transfer s1 s3\n"))
        #expect(!text.contains("transfer s1 s2"))
        var fresh = ScriptRunner(interpreter: try Interpreter()) { _ in }
        #expect(fresh.run(file: file).exitStatus == 0)
        #expect(fresh.interpreter.cluster == run.cluster)
        let s1 = try #require(run.cluster.id(named: "s1"))
        #expect(run.cluster.transferTarget(of: s1) == run.cluster.id(named: "s3"))
    }

    @Test func saveStartsFromTheSessionsClusterSize() throws {
        let scratch = Scratch()
        let file = scratch.file("three.raftscript")
        let run = ShellRun(["timeout s3", "settle", "save \(file)"], servers: 3)
        var fresh = ScriptRunner(interpreter: try Interpreter(servers: 5)) { _ in }
        #expect(fresh.run(file: file).exitStatus == 0)
        #expect(fresh.interpreter.cluster == run.cluster)
    }

    @Test func saveRefusesToOverwriteUnlessForced() throws {
        let scratch = Scratch()
        let file = scratch.file("kept.raftscript", "# mine\n")
        let run = ShellRun(["timeout s1", "save \(file)"])
        #expect(run.diagnostics == ["error: \(file) exists; `save! \(file)` overwrites it"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "# mine\n")
        _ = ShellRun(["timeout s1", "save! \(file)"])
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasSuffix("cluster 5\ntimeout s1\n"))
        _ = ShellRun(["timeout s2", "save --force \(file)"])
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasSuffix("cluster 5\ntimeout s2\n"))
        #expect(ShellRun(["save"]).diagnostics.count == 1)
    }

    @Test func saveReportsAnUnwritablePlace() {
        let run = ShellRun(["save /nonexistent-folder/x.raftscript", "echo on"])
        #expect(run.diagnostics.count == 1)
        #expect(run.diagnostics == ["error: cannot write /nonexistent-folder/x.raftscript: the folder /nonexistent-folder does not exist"])
        #expect(run.lines == ["on"])
    }

    // MARK: source

    @Test func anErrorStopsTheSourcedScriptNotTheSession() throws {
        let scratch = Scratch()
        let script = scratch.file("broken.raftscript", "timeout s1\nexpect s1 leader\nbogus\ntimeout s2\n")
        let run = ShellRun(["source \(script)", "echo after", "expect s2 term 0"])
        #expect(run.diagnostics == [
            "\(script):2: expect failed: s1 is CANDIDATE, expected LEADER",
            "\(script):3: error: unknown command `bogus` (try `help`)",
        ])
        #expect(run.lines == ["after", Session.passed])
        #expect(run.cluster == (try state(after: "timeout s1").cluster))
        #expect(run.status == 0)
    }

    @Test func aSourcedScriptIsOneUndoStepAndIsSavedInline() throws {
        let scratch = Scratch()
        _ = scratch.file("inner.raftscript", "settle\n")
        let outer = scratch.file("outer.raftscript", "timeout s1\nsource inner.raftscript\nexpect s1 leader\n")
        let saved = scratch.file("saved.raftscript")
        let run = ShellRun(["crash s5", "source \(outer)", "save \(saved)", "undo"])
        #expect(run.diagnostics.isEmpty)
        #expect(run.lines.suffix(1) == ["undone: source \(outer)"])
        #expect(run.session.undoable == ["crash s5"])
        let text = try String(contentsOfFile: saved, encoding: .utf8)
        #expect(text.hasSuffix("cluster 5\ncrash s5\ntimeout s1\nsettle\n"))
    }

    @Test func aMissingSourceIsAnError() {
        let run = ShellRun(["source /no/such.raftscript", "echo on"])
        #expect(run.diagnostics == ["error: /no/such.raftscript: no such file"])
        #expect(run.lines == ["on"])
    }

    // MARK: script mode (a pipe)

    @Test func scriptModeStopsAtTheFirstError() {
        let run = ShellRun(["timeout s1", "expect s1 leader", "bogus", "echo not reached"], mode: .script(name: "<stdin>"))
        #expect(run.diagnostics == [
            "<stdin>:2: expect failed: s1 is CANDIDATE, expected LEADER",
            "<stdin>:3: error: unknown command `bogus` (try `help`)",
        ])
        #expect(run.lines.isEmpty)
        #expect(run.status == 2)
    }

    @Test func scriptModeExitStatusCountsExpectations() throws {
        #expect(ShellRun(["timeout s1", "expect s1 leader"], mode: .script(name: "<stdin>")).status == 1)
        #expect(ShellRun(["timeout s1", "expect s1 candidate"], mode: .script(name: "<stdin>")).status == 0)
        #expect(ShellRun(["expect s1 leader", "quit", "bogus"], mode: .script(name: "<stdin>")).status == 1)
        let scratch = Scratch()
        let script = scratch.file("failing.raftscript", "expect s1 leader\nexpect s2 leader\n")
        let sourced = ShellRun(["source \(script)"], mode: .script(name: "<stdin>"))
        #expect(sourced.status == 1)
        #expect(sourced.session.summary.failedExpectations == 2)
    }

    // MARK: Ctrl-C

    @Test func anInterruptedSettleStopsBetweenDeliveries() throws {
        var interpreter = try Interpreter()
        interpreter.interruption = StopRequest()
        _ = try interpreter.run(#require(try Parser.parse("timeout s1 s2")))
        interpreter.interruption?.request()
        let reply = try interpreter.run(#require(try Parser.parse("settle")))
        #expect(reply.lines == ["settle interrupted after 0 deliveries; 8 still in flight"])
        #expect(interpreter.cluster.network.count == 8)
    }

    @Test func anInterruptedSettleIsSavedAsTheDeliveriesItMade() throws {
        var start = try Cluster(size: 9)
        var trace = Trace(recording: false)
        for id in 0..<3 { try start.timeout(ServerID(id), trace: &trace) }
        var settled = start
        let total = try settled.settle(maxDeliveries: 10_000, trace: &trace)
        #expect(total > 50)
        for stopAfter in 0...total {
            var end = start
            var count = 0
            try end.settle(maxDeliveries: 1000, trace: &trace) {
                count += 1
                return count > stopAfter
            }
            let (commands, replayed) = try Session.deliveries(from: start, count: stopAfter, line: "settle", writing: true)
            #expect(replayed == end)
            #expect(commands.first == "# settle, interrupted after \(stopAfter) deliveries:")
            var runner = ScriptRunner(interpreter: try Interpreter()) { _ in }
            let summary = runner.run(script: (["cluster 9", "timeout s1 s2 s3"] + commands).joined(separator: "\n"), named: "t")
            #expect(summary.exitStatus == 0)
            #expect(runner.interpreter.cluster == end, "stopped after \(stopAfter)")
        }
        // s1's whole broadcast, and every reply to s1, are one command each.
        let commands = try Session.deliveries(from: start, count: total, line: "settle", writing: true).commands
        #expect(commands.prefix(3) == ["# settle, interrupted after \(total) deliveries:", "deliver s1->*", "deliver s2->s1"])
        #expect(commands.contains("deliver *->s1"))
        #expect(commands.count < total * 2 / 3)
    }

    @Test func cutCommandsReplayAndAreWrittenAsWhatTheyDid() throws {
        var start = try Interpreter()
        _ = try start.run(#require(try Parser.parse("set seed 3")))
        _ = try start.run(#require(try Parser.parse("timeout s2")))
        var expected = start
        var trace = Trace(recording: false)
        for _ in 0..<3 { try expected.cluster.deliver(sequence: try #require(expected.cluster.network.oldest).sequence, trace: &trace) }
        _ = try expected.run(.tick(40))
        var replayed = start
        var text: [String]? = []
        Session.replay([.settleCut(line: "settle", deliveries: 3), .ticksCut(line: "tick 1000", ticks: 40)], on: &replayed, writing: &text)
        #expect(text == ["# settle, interrupted after 3 deliveries:", "deliver s2->s1", "deliver s2->s3", "deliver s2->s4", "# tick 1000, interrupted after 40 ticks:", "tick 40"])
        #expect(replayed.cluster == expected.cluster)
        #expect(Session.written(.ticksCut(line: "tick until leader", ticks: 0)) == ["# tick until leader, interrupted after 0 ticks:"])
    }

    // MARK: without copies of the state (a heavy state): replay

    static let session = [
        "set noop on", "timeout s1", "settle", "submit leader x=1", "crash s2", "deliver s1->s3",
        "timeout s4", "deliver s4->s5", "set seed 4", "isolate s3",
    ]

    @Test(arguments: [nil, (0, 0), (50_000, 12)] as [(limit: Int, budget: Int)?])
    func undoReplaysWhenNoCopyWasKept(memory: (limit: Int, budget: Int)?) throws {
        for back in 1...Self.session.count {
            let run = ShellRun(Self.session + ["undo \(back)"], memory: memory)
            let expected = try state(after: Self.session.dropLast(back).joined(separator: "\n"))
            #expect(run.cluster == expected.cluster, "undo \(back)")
            #expect(run.diagnostics.isEmpty)
        }
    }

    @Test func aFailedCommandIsTakenBackByReplayToo() throws {
        let run = ShellRun(Self.session + ["timeout s5 s1", "echo on"], memory: nil)
        #expect(run.cluster == (try state(after: Self.session.joined(separator: "\n")).cluster))
        #expect(run.diagnostics.count == 1)
        #expect(run.diagnostics[0].contains("what it had done is undone"))
    }

    @Test func anErrorInASourcedScriptIsTakenBackByReplay() throws {
        let scratch = Scratch()
        let script = scratch.file("partly.raftscript", "timeout s1\nsettle\ntimeout s2 s1\n")
        let run = ShellRun(["crash s5", "source \(script)"], memory: nil)
        #expect(run.cluster == (try state(after: "crash s5\ntimeout s1\nsettle").cluster))
        #expect(run.session.undoable == ["crash s5", "source \(script)"])
    }

    @Test func theBudgetLetsOldCopiesGo() {
        var session = ShellRun([], memory: (50_000, 40)).session
        for line in Self.session { _ = session.handle(line) }
        // The weights run 5 5 9 10 15 14 15 18 18 18: the last two fit in 40.
        #expect(session.steps.map { $0.before != nil } == Array(repeating: false, count: 8) + [true, true])
        // The latest copy stays, whatever it weighs.
        var tight = ShellRun([], memory: (50_000, 1)).session
        for line in Self.session { _ = tight.handle(line) }
        #expect(tight.steps.map { $0.before != nil } == Array(repeating: false, count: 9) + [true])
    }
}

@Suite("The history file", .timeLimit(.minutes(3)))
struct HistoryFileTests {
    @Test func keepsLinesAcrossSessionsWithoutRepeats() throws {
        let scratch = Scratch()
        let path = scratch.file("history")
        var first = HistoryFile(path: path)
        #expect(first.load() == nil, "a missing file is an empty history")
        #expect(first.record("timeout s1").added)
        #expect(!first.record("timeout s1").added, "no line twice in a row")
        #expect(!first.record("   ").added)
        #expect(first.record("settle").added)
        #expect(first.record("timeout s1").added)
        // Written as each line is accepted: a second session sees them at once.
        var second = HistoryFile(path: path)
        #expect(second.load() == nil)
        #expect(second.lines == ["timeout s1", "settle", "timeout s1"])
    }

    @Test func isBounded() throws {
        let scratch = Scratch()
        let path = scratch.file("history")
        var history = HistoryFile(path: path, limit: 10)
        _ = history.load()
        for i in 1...25 { _ = history.record("echo \(i)") }
        #expect(history.lines == (16...25).map { "echo \($0)" })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 10)
        var again = HistoryFile(path: path, limit: 10)
        _ = again.load()
        #expect(again.lines == history.lines)
    }

    @Test func anUnusableFileIsOneWarning() throws {
        let scratch = Scratch()
        // A folder where the file should be: it can be neither read nor written.
        let path = scratch.path
        var history = HistoryFile(path: path)
        let loadWarning = history.load()
        #expect(loadWarning != nil)
        #expect(history.record("timeout s1") == (true, nil), "only one warning")
        #expect(history.lines == ["timeout s1"], "the history still works in memory")

        var unwritable = HistoryFile(path: "/nonexistent-folder/history")
        #expect(unwritable.load() == nil)
        let (added, warning) = unwritable.record("settle")
        #expect(added)
        #expect(warning?.contains("cannot be written") == true)
        #expect(unwritable.record("show").warning == nil)
    }

    @Test func defaultPath() {
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.raftsh_history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/ada", "RAFTSH_HISTORY": "/tmp/h"]) == "/tmp/h")
        #expect(HistoryFile.defaultPath(environment: ["RAFTSH_HISTORY": ""]) == nil)
    }
}

@Suite("Colour", .timeLimit(.minutes(3)))
struct HighlighterTests {
    /// The text with its escape sequences taken out.
    func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\u{1}", with: "").replacingOccurrences(of: "\u{2}", with: "")
    }

    @Test func rolesAndTermsAreColoured() {
        let colour = Highlighter()
        let line = "s1  3/5 votes → LEADER of term 12, AppendEntries → s2 s3 s4 s5"
        let painted = colour.line(line)
        #expect(painted.contains("\u{1B}[1;32mLEADER\u{1B}[0m"))
        #expect(painted.contains("\u{1B}[35mterm 12\u{1B}[0m"))
        #expect(plain(painted) == line)
        #expect(colour.line("s2  up  FOLLOWER  1") != "s2  up  FOLLOWER  1")
        #expect(colour.line("LEADERS and terms") == "LEADERS and terms", "whole words only")
    }

    @Test func diagnosticsAndPrompt() {
        let colour = Highlighter(forReadline: true)
        let prompt = colour.prompt("raft[s1 leader t2, 4 in flight]> ")
        #expect(prompt.contains("\u{1}\u{1B}[1;32m\u{2}leader"))
        #expect(prompt.contains("t2"))
        #expect(plain(prompt) == "raft[s1 leader t2, 4 in flight]> ")
        let diagnostic = Diagnostic(.expectFailed, at: nil, "s1 is FOLLOWER, expected LEADER")
        #expect(plain(Highlighter().diagnostic(diagnostic)) == diagnostic.description)
        #expect(Highlighter().diagnostic(diagnostic).hasPrefix("\u{1B}[1;31mexpect failed:"))
    }
}

/// A long session costs what the same script costs: undo history is bounded
/// and undo does not replay the whole session each time (issue 22, item 5).
@Suite(.timeLimit(.minutes(3)))
struct LongSessionTests {
    @Test(arguments: [Session.Mode.interactive, .script(name: "<stdin>")])
    func theHistoryIsBoundedAndSaveStillWritesEverything(_ mode: Session.Mode) throws {
        let scratch = TemporaryFolder()
        let lines = ["timeout s1", "settle"] + (1...300).map { "submit s1 x=\($0)" }
        let run = ShellRun(lines + ["save \(scratch.path)/all.raftscript"], mode: mode, undoLimit: 100)
        #expect(run.diagnostics.isEmpty)
        #expect((100...110).contains(run.session.undoable.count))
        let saved = try String(contentsOfFile: scratch.path + "/all.raftscript", encoding: .utf8)
        #expect(saved.hasSuffix((["cluster 5"] + lines).joined(separator: "\n") + "\n"))
        // The saved script rebuilds the state.
        #expect(Run(saved).interpreter.cluster == run.cluster)
    }

    @Test(arguments: [Session.Mode.interactive, .script(name: "<stdin>")])
    func undoReachesBackAsFarAsTheHistoryAndSaysWhyItStops(_ mode: Session.Mode) {
        // 2 + 120 steps: the 11 oldest are folded at the 111th, 11 more at the 122nd.
        let lines = ["timeout s1", "settle"] + (1...120).map { "submit s1 x=\($0)" }
        let run = ShellRun(lines + Array(repeating: "undo", count: 101) + ["undo 20"], mode: mode, undoLimit: 100)
        #expect(run.session.undoable.isEmpty)
        #expect(run.cluster.servers[0].log.lastIndex == 20)
        let refusal = "nothing to undo (undo reaches back 100 commands)"
        let location = mode == .interactive ? "" : "<stdin>:223: "
        // At the prompt both refusals are reported; a piped session stops at the first.
        #expect(run.diagnostics == Array(repeating: "\(location)error: \(refusal)", count: mode == .interactive ? 2 : 1))
    }

    @Test func aPipedSessionKeepsNoCopiesOfTheState() {
        let run = ShellRun(["timeout s1", "settle"] + (1...300).map { "submit s1 x=\($0)" }, mode: .script(name: "<stdin>"))
        #expect(run.session.steps.allSatisfy { $0.before == nil })
        #expect(run.session.keptWeight == 0)
    }

    /// 1 500 submits and then 1 000 undos, piped: each undo replays a few steps
    /// from a checkpoint, not the whole history (when it did, the undos took
    /// hundreds of times as long as the submits). Timed against the submits, so
    /// a loaded machine slows both.
    @Test func manyUndosInARowStayCheap() {
        let clock = ContinuousClock()
        var session = Session(interpreter: try! Interpreter(), mode: .script(name: "<stdin>")) { _ in }
        let started = clock.now
        for line in ["timeout s1", "settle"] + (1...1_500).map({ "submit s1 x=\($0)" }) { _ = session.handle(line) }
        let building = clock.now - started
        for _ in 1...1_000 { _ = session.handle("undo") }
        let undoing = clock.now - started - building
        #expect(session.summary.exitStatus == 0)
        #expect(session.interpreter.cluster.servers[0].log.lastIndex == 500)
        #expect(undoing < building * 80, "1 500 submits took \(building), 1 000 undos \(undoing)")
    }
}
