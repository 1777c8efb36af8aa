import Foundation
import RaftCluster
import RaftCore

/// Where the shell's lines come from: readline at a terminal, standard input
/// in a pipe, an array in the tests.
public protocol LineSource {
    /// The next line, without its newline; nil at the end of the input (Ctrl-D).
    /// An interactive source shows `prompt` and offers `completer`'s words on TAB.
    mutating func nextLine(prompt: String, completer: Completer) -> String?
}

/// Lines given in advance, for tests and for text already read.
public struct ScriptedLines: LineSource {
    public private(set) var lines: [String]
    /// The prompts the session showed, one per line asked for.
    public private(set) var prompts: [String] = []

    public init(_ lines: [String]) {
        self.lines = lines
    }

    public mutating func nextLine(prompt: String, completer: Completer) -> String? {
        prompts.append(prompt)
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}

/// The read–eval–print loop of `raftsh`: RaftScript plus the shell's own
/// commands (`undo`, `save`, `quit`, `exit`), with `source` run inside the session.
///
/// At the prompt an error or a failed `expect` is reported and the session goes
/// on, and a command that fails changes nothing (what it had done is put back).
/// In script mode (a pipe) the lines run as a script would: each diagnostic
/// names `NAME:LINE`, the first error stops the run, and `exitStatus` is a
/// script's.
public struct Session {
    public enum Mode: Hashable, Sendable {
        case interactive
        /// Lines run as a script named `name` would.
        case script(name: String)
    }

    public enum Control: Hashable, Sendable {
        case proceed
        case quit
    }

    public internal(set) var interpreter: Interpreter
    public let mode: Mode
    /// Set by Ctrl-C; long commands, sourced scripts and long output stop at it.
    public let interruption: StopRequest
    /// Lists a folder for file-name completion (`source`, `save`).
    public var listFiles: @Sendable (String) -> [FileEntry] = Session.listFolder
    /// The terminal's width in columns, asked before each line (a window can be
    /// resized): `help` and `show net` wrap there. Nil: no wrapping (a pipe).
    public var terminalWidth: @Sendable () -> Int? = { nil }
    public internal(set) var summary = ScriptRunner.Summary()
    let sink: (ScriptRunner.Output) -> Void
    /// The state the session started in (its cluster size starts a saved script).
    let origin: Interpreter
    /// The state before the oldest step `undo` can take back, where undo replays
    /// from; steps older than the history holds are folded into it (lazily: see
    /// `fold`).
    var base: Interpreter
    /// What the folded steps did, as the script lines `save` writes for them.
    var foldedScript = ""
    /// How much of `foldedScript` (in UTF-8 bytes) `base` has taken in.
    var baseTakesIn = 0
    var steps: [UndoStep] = []
    /// How many steps `undo` can take back at least (a few more may be kept: they
    /// are folded into `base` a batch at a time).
    var undoLimit = 1000
    /// A state heavier than this (messages in flight + log entries + servers) is
    /// not copied before each command; undo and error recovery then replay.
    var snapshotLimit = 50_000
    /// The total weight of the states kept for undo; older ones are let go.
    var snapshotBudget = 1_000_000
    /// The weight of the copies kept; the steps before `firstKept` keep none.
    var keptWeight = 0
    var firstKept = 0
    private var lineNumber = 0
    private var sourceDepth = 0
    /// The exercise started with `exercise FILE`, which `check` checks.
    var exercise: Exercise?
    /// Commands the program adds (the charts'); they come before the language.
    public var additions: [ShellAddition] = []

    /// The shell's own commands, for `help`, suggestions and completion.
    public static let commands: [CommandInfo] = [
        CommandInfo(
            name: "undo", group: .session, usage: ["undo [N]"],
            summary: "take back the last N commands that changed the state (default 1)",
            example: "undo 2",
            details: "Restores the cluster, the network, the options and the random generator as they were, and says what was undone. A `source` is one step; a command that changed nothing (a `submit` to a follower) is none. Reaches back at least the last 1000 steps."
        ),
        CommandInfo(
            name: "save", group: .session, usage: ["save FILE", "save! FILE", "save --force FILE"],
            summary: "write a .raftscript that rebuilds the current state",
            example: "save figure7.raftscript",
            details: "Writes the commands since the last `cluster` (with the options set before it), or `cluster N` and every command of the session: each command that changed something, in order, leaving out undone ones and inlining sourced scripts. Refuses to overwrite a file unless written `save!` or `save --force`."
        ),
        CommandInfo(
            name: "quit", group: .session, usage: ["quit"],
            summary: "leave the shell (so do `exit` and Ctrl-D)", example: "quit", details: ""
        ),
        CommandInfo(
            name: "exit", group: .session, usage: ["exit"],
            summary: "leave the shell (so do `quit` and Ctrl-D)", example: "exit", details: ""
        ),
    ] + exerciseCommands

    /// Words the shell handles before the parser sees a line.
    public static let commandWords = ["undo", "save", "save!", "quit", "exit", "exercise", "check"]

    public init(
        interpreter: Interpreter, mode: Mode, interruption: StopRequest = StopRequest(),
        sink: @escaping (ScriptRunner.Output) -> Void
    ) {
        var interpreter = interpreter
        interpreter.interruption = interruption
        self.interpreter = interpreter
        self.mode = mode
        self.interruption = interruption
        self.sink = sink
        origin = interpreter
        base = interpreter
        base.interruption = nil
        base.progress = nil
        base.settings.trace = false
    }

    // MARK: The loop

    /// Reads and runs lines until the input ends, `quit`/`exit`, or (in script
    /// mode) an error. Returns the exit status: 0 at the prompt, a script's otherwise.
    public mutating func run(_ source: inout some LineSource) -> Int32 {
        let interactive = mode == .interactive
        let none = Completer(servers: [])
        while let line = source.nextLine(prompt: interactive ? prompt : "", completer: interactive ? completer : none) {
            if handle(line) == .quit { break }
        }
        return exitStatus
    }

    /// 0 for an interactive session; 0, 1 or 2 as a script's in script mode.
    public var exitStatus: Int32 {
        mode == .interactive ? 0 : summary.exitStatus
    }

    /// What the prompt shows: the server `leader` names and its term (or the
    /// highest term when it names none), the highest term too when a server is
    /// ahead of that leader, the tick once time has moved, and the messages in
    /// flight, e.g. `raft[s1 leader t2, tick 14, 4 in flight]> `.
    public var prompt: String {
        let cluster = interpreter.cluster
        let highest = cluster.servers.map(\.currentTerm).max() ?? 0
        var state: String
        do {
            let leader = try cluster.leader()
            let term = cluster[leader].currentTerm
            state = "\(cluster.name(leader)) leader t\(term)" + (highest > term ? ", highest t\(highest)" : "")
        } catch .leadersShareTerm {
            state = "\(cluster.liveLeaders.count) leaders t\(highest)"
        } catch {
            state = "no leader t\(highest)"
        }
        if cluster.now > 0 { state += ", tick \(cluster.now)" }
        let inFlight = cluster.network.count
        if inFlight > 0 { state += ", \(inFlight) in flight" }
        return "raft[\(state)]> "
    }

    /// TAB completion for the current cluster.
    public var completer: Completer {
        Completer(cluster: interpreter.cluster, extraCommands: Self.commandWords + additions.map { $0.words[0] }, listFiles: listFiles)
    }

    /// Lines that can be undone, oldest first.
    public var undoable: [String] { steps.map(\.line) }

    /// Runs one line typed at the prompt (or read from the pipe).
    public mutating func handle(_ line: String) -> Control {
        lineNumber += 1
        interruption.reset()
        interpreter.settings.width = terminalWidth()
        let location: SourceLocation? = switch mode {
        case .interactive: nil
        case .script(let name): SourceLocation(file: name, line: lineNumber)
        }
        do {
            try Parser.checkLength(of: line)
        } catch {
            return finish(report(CommandError(error.message), at: location))
        }
        // Only a line that may start with a shell word is split here; the rest go
        // straight to the parser, so a piped line costs what a script's line does.
        let start = line.unicodeScalars.drop { $0 == " " || $0 == "\t" }.prefix { $0.properties.isAlphabetic || $0 == "!" }
        let word = String(start).lowercased()
        let tokens = Parser.shellCommands.contains(word) || additions.contains(where: { $0.words[0] == word }) ? Tokenizer.tokens(in: line) : []
        if let addition = additions.first(where: { $0.matches(tokens) }) {
            return finish(runAddition(addition, tokens, at: location))
        }
        let result: ScriptRunner.LineResult
        switch tokens.first?.keyword {
        case let word? where word == "quit" || word == "exit":
            guard tokens.count == 1 else {
                return finish(report(CommandError("`\(word)` takes no arguments"), at: location))
            }
            return .quit
        case "undo":
            result = undo(tokens, at: location)
        case "save", "save!":
            result = save(tokens, line: line, at: location)
        case "exercise":
            result = startExercise(tokens, line: line, at: location)
        case "check":
            result = check(tokens, at: location)
        default:
            let command: Command
            do {
                guard let parsed = try Parser.parse(line, extraCommands: Self.commandWords + additions.map { $0.words[0] }) else { return .proceed }
                command = parsed
            } catch {
                return finish(report(CommandError(error.message), at: location))
            }
            let snapshot = self.snapshot()
            var commands: [Recorded] = []
            result = run(command, line: line, at: location, recording: &commands)
            if !commands.isEmpty {
                record(UndoStep(line: line, before: snapshot?.state, weight: snapshot?.weight ?? 0, commands: commands))
            }
        }
        return finish(result)
    }

    private mutating func finish(_ result: ScriptRunner.LineResult) -> Control {
        switch result {
        case .ok: return .proceed
        case .expectFailed:
            summary.failedExpectations += 1
            return .proceed
        case .error:
            summary.errored = true
            return mode == .interactive ? .proceed : .quit
        }
    }

    func report(_ error: CommandError, at location: SourceLocation?) -> ScriptRunner.LineResult {
        sink(.diagnostic(Diagnostic(.error, at: location, error.message)))
        return .error
    }

    // MARK: Running commands

    /// Runs one parsed command and appends to `commands` what rebuilds its effect.
    mutating func run(
        _ command: Command, line: String, at location: SourceLocation?, recording commands: inout [Recorded]
    ) -> ScriptRunner.LineResult {
        switch command {
        case .source(let path):
            return source(path, at: location, recording: &commands)
        case .help(let topic):
            do {
                emit(try Help.text(for: topic, extra: Self.commands + additions.filter { $0.words.count == 1 }.map(\.info), width: interpreter.settings.width))
                return .ok
            } catch {
                return report(error, at: location)
            }
        default:
            break
        }
        // At the prompt a failed command is taken back: from a copy when the
        // state is light, by replaying the session when it is not.
        let before = mode == .interactive ? snapshot()?.state : nil
        let previous = interpreter
        let (deliveries, now) = (interpreter.cluster.deliveries, interpreter.cluster.now)
        let reply: Reply
        do {
            reply = try interpreter.run(command)
        } catch {
            var message = error.message
            if mode == .interactive {
                let restored = before ?? rebuilt(upTo: steps.count, then: commands)
                if restored.cluster != interpreter.cluster || restored.settings != interpreter.settings {
                    message += " (what it had done is undone)"
                }
                restore(restored)
            }
            return report(CommandError(message), at: location)
        }
        emit(reply.lines)
        // A command that changed nothing (a `submit` to a follower, a `deliver all`
        // with nothing in flight) is no step to undo and no line to save.
        if command.changesState, interpreter.cluster != previous.cluster || interpreter.settings != previous.settings {
            let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            switch command {
            case .settle where interruption.isRequested:
                commands.append(.settleCut(line: line, deliveries: interpreter.cluster.deliveries - deliveries))
            case .tick where interruption.isRequested, .tickUntilLeader where interruption.isRequested:
                commands.append(.ticksCut(line: line, ticks: interpreter.cluster.now - now))
            default:
                commands.append(.line(line))
            }
        }
        if let failure = reply.failure {
            sink(.diagnostic(Diagnostic(.expectFailed, at: location, failure)))
            return .expectFailed
        }
        if case .expect = command, mode == .interactive, sourceDepth == 0 { sink(.line(Self.passed)) }
        return .ok
    }

    /// What an `expect` typed at the prompt prints when it holds: a quiet mark,
    /// so that a silent prompt is never mistaken for a check that did not run.
    /// (Sourced scripts and script mode stay silent, as scripts do.)
    public static let passed = "✓"

    /// Prints lines as they come; after Ctrl-C, only the last one (a summary).
    private func emit(_ lines: [String]) {
        for (index, line) in lines.enumerated() {
            if interruption.isRequested, index < lines.count - 1 {
                let skipped = lines.count - 1 - index
                sink(.line("… \(skipped) line\(skipped == 1 ? "" : "s") not shown (interrupted)"))
                sink(.line(lines[lines.count - 1]))
                return
            }
            sink(.line(line))
        }
    }

    /// `source FILE`: runs a script here. Its first error stops it (and, in
    /// script mode, the whole run); failed expectations are reported, counted
    /// in `summary`, and it goes on. Returns `.ok` or `.error`.
    private mutating func source(_ path: String, at location: SourceLocation?, recording commands: inout [Recorded]) -> ScriptRunner.LineResult {
        let resolved = ScriptRunner.resolve(path, relativeTo: location?.file)
        guard sourceDepth < ScriptRunner.maxSourceDepth else {
            return report(CommandError("\(path): scripts source each other more than \(ScriptRunner.maxSourceDepth) deep"), at: location)
        }
        let file: ScriptFile
        do {
            file = try ScriptFile(path: resolved)
        } catch {
            return report(CommandError("\(resolved): \(error.message)"), at: location)
        }
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        var index = 0
        while let line = file.lines.next() {
            defer { index += 1 }
            if interruption.isRequested {
                sink(.line("\(resolved): interrupted before line \(index + 1)"))
                return .error
            }
            let here = SourceLocation(file: resolved, line: index + 1)
            let command: Command
            do {
                guard let parsed = try Parser.parse(line) else { continue }
                command = parsed
            } catch {
                return report(CommandError(error.message), at: here)
            }
            switch run(command, line: line, at: here, recording: &commands) {
            case .ok: break
            case .expectFailed: summary.failedExpectations += 1
            case .error: return .error
            }
        }
        if let failure = file.lines.failure {
            return report(CommandError("cannot be read (\(failure))"), at: SourceLocation(file: resolved, line: index + 1))
        }
        return .ok
    }

    /// The real file system's entries of a folder, for completion.
    @Sendable public static func listFolder(_ folder: String) -> [FileEntry] {
        let path = folder.isEmpty ? "." : folder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.map { name in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
            return FileEntry(name: name, isDirectory: isDirectory.boolValue)
        }
    }
}
