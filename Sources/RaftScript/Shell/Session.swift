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

    /// One undoable step: a line that changed the state, the state before it, and
    /// the commands that rebuild its effect (more than one for `source`).
    struct Step {
        var line: String
        var before: Interpreter
        var commands: [String]
    }

    public private(set) var interpreter: Interpreter
    public let mode: Mode
    /// Set by Ctrl-C; long commands, sourced scripts and long output stop at it.
    public let interruption: Interruption
    /// Lists a folder for file-name completion (`source`, `save`).
    public var listFiles: @Sendable (String) -> [FileEntry] = Session.listFolder
    public private(set) var summary = ScriptRunner.Summary()
    private let sink: (ScriptRunner.Output) -> Void
    private let initialSize: Int
    private var steps: [Step] = []
    private var lineNumber = 0
    private var sourceDepth = 0

    /// The shell's own commands, for `help`, suggestions and completion.
    public static let commands: [CommandInfo] = [
        CommandInfo(
            name: "undo", group: .session, usage: ["undo [N]"],
            summary: "take back the last N commands that changed the state (default 1)",
            example: "undo 2",
            details: "Restores the cluster, the network, the options and the random generator as they were, and says what was undone. A `source` is one step."
        ),
        CommandInfo(
            name: "save", group: .session, usage: ["save FILE", "save! FILE", "save --force FILE"],
            summary: "write a .raftscript that rebuilds the current state",
            example: "save figure7.raftscript",
            details: "Writes `cluster N` and then every command that changed the state, in order, leaving out undone ones (and inlining sourced scripts). Refuses to overwrite a file unless written `save!` or `save --force`."
        ),
        CommandInfo(
            name: "quit", group: .session, usage: ["quit"],
            summary: "leave the shell (so do `exit` and Ctrl-D)", example: "quit", details: ""
        ),
        CommandInfo(
            name: "exit", group: .session, usage: ["exit"],
            summary: "leave the shell (so do `quit` and Ctrl-D)", example: "exit", details: ""
        ),
    ]

    /// Words the shell handles before the parser sees a line.
    public static let commandWords = ["undo", "save", "save!", "quit", "exit"]

    public init(
        interpreter: Interpreter, mode: Mode, interruption: Interruption = Interruption(),
        sink: @escaping (ScriptRunner.Output) -> Void
    ) {
        var interpreter = interpreter
        interpreter.interruption = interruption
        self.interpreter = interpreter
        self.mode = mode
        self.interruption = interruption
        self.sink = sink
        initialSize = interpreter.cluster.size
    }

    // MARK: The loop

    /// Reads and runs lines until the input ends, `quit`/`exit`, or (in script
    /// mode) an error. Returns the exit status: 0 at the prompt, a script's otherwise.
    public mutating func run(_ source: inout some LineSource) -> Int32 {
        while let line = source.nextLine(prompt: prompt, completer: completer) {
            if handle(line) == .quit { break }
        }
        return exitStatus
    }

    /// 0 for an interactive session; 0, 1 or 2 as a script's in script mode.
    public var exitStatus: Int32 {
        mode == .interactive ? 0 : summary.exitStatus
    }

    /// What the prompt shows: the leader and its term (or the highest term), and
    /// the messages in flight, e.g. `raft[s1 leader t2, 4 in flight]> `.
    public var prompt: String {
        let cluster = interpreter.cluster
        let highest = cluster.servers.map(\.currentTerm).max() ?? 0
        var state: String
        do {
            let leader = try cluster.leader()
            state = "\(cluster.name(leader)) leader t\(cluster[leader].currentTerm)"
        } catch .leadersShareTerm {
            state = "\(cluster.liveLeaders.count) leaders t\(highest)"
        } catch {
            state = "no leader t\(highest)"
        }
        let inFlight = cluster.network.count
        if inFlight > 0 { state += ", \(inFlight) in flight" }
        return "raft[\(state)]> "
    }

    /// TAB completion for the current cluster.
    public var completer: Completer {
        Completer(cluster: interpreter.cluster, extraCommands: Self.commandWords, listFiles: listFiles)
    }

    /// Lines that can be undone, oldest first.
    public var undoable: [String] { steps.map(\.line) }

    /// Runs one line typed at the prompt (or read from the pipe).
    public mutating func handle(_ line: String) -> Control {
        lineNumber += 1
        interruption.reset()
        let location: SourceLocation? = switch mode {
        case .interactive: nil
        case .script(let name): SourceLocation(file: name, line: lineNumber)
        }
        let tokens = Tokenizer.tokens(in: line)
        guard let first = tokens.first else { return .proceed }
        let result: ScriptRunner.LineResult
        switch first.keyword {
        case "quit", "exit":
            guard tokens.count == 1 else {
                return finish(report(CommandError("`\(first.keyword)` takes no arguments"), at: location))
            }
            return .quit
        case "undo":
            result = undo(tokens, at: location)
        case "save", "save!":
            result = save(tokens, line: line, at: location)
        default:
            let command: Command
            do {
                guard let parsed = try Parser.parse(line, extraCommands: Self.commandWords) else { return .proceed }
                command = parsed
            } catch {
                return finish(report(CommandError(error.message), at: location))
            }
            let before = interpreter
            var commands: [String] = []
            result = run(command, line: line, at: location, recording: &commands)
            if !commands.isEmpty {
                steps.append(Step(line: line, before: before, commands: commands))
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

    private func report(_ error: CommandError, at location: SourceLocation?) -> ScriptRunner.LineResult {
        sink(.diagnostic(Diagnostic(.error, at: location, error.message)))
        return .error
    }

    // MARK: Running commands

    /// Runs one parsed command and appends to `commands` what rebuilds its effect.
    private mutating func run(
        _ command: Command, line: String, at location: SourceLocation?, recording commands: inout [String]
    ) -> ScriptRunner.LineResult {
        switch command {
        case .source(let path):
            return source(path, at: location, recording: &commands)
        case .help(let topic):
            do {
                emit(try Help.text(for: topic, extra: Self.commands))
                return .ok
            } catch {
                return report(error, at: location)
            }
        default:
            break
        }
        let before = interpreter
        let reply: Reply
        do {
            reply = try interpreter.run(command)
        } catch {
            var message = error.message
            if before.cluster != interpreter.cluster || before.settings != interpreter.settings {
                message += " (what it had done is undone)"
            }
            interpreter = before
            return report(CommandError(message), at: location)
        }
        emit(reply.lines)
        if command.changesState {
            commands += Self.rebuilding(command, line: line, from: before.cluster, to: interpreter.cluster, interrupted: interruption.isRequested)
        }
        if let failure = reply.failure {
            sink(.diagnostic(Diagnostic(.expectFailed, at: location, failure)))
            return .expectFailed
        }
        return .ok
    }

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

    /// The commands that redo what `command` did: its own line, unless Ctrl-C cut
    /// it short: then what it did before it stopped.
    static func rebuilding(_ command: Command, line: String, from start: Cluster, to end: Cluster, interrupted: Bool) -> [String] {
        let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard interrupted else { return [line] }
        switch command {
        case .settle:
            return deliveries(from: start, to: end, line: line)
        case .tick, .tickUntilLeader:
            let ticks = end.now - start.now
            return ["# \(line), interrupted after \(ticks) tick\(ticks == 1 ? "" : "s"):"] + (ticks > 0 ? ["tick \(ticks)"] : [])
        default:
            return [line]
        }
    }

    /// An interrupted `settle` as the `deliver` commands that redo it: the same
    /// messages in the same order, each run on one link as `deliver A->B N`.
    static func deliveries(from start: Cluster, to end: Cluster, line: String) -> [String] {
        var replay = start
        var trace = Trace(recording: false)
        var runs: [(from: ServerID, to: ServerID, count: Int)] = []
        for _ in 0..<(end.deliveries - start.deliveries) {
            guard let message = replay.network.oldest else { break }
            if let last = runs.last, last.from == message.from, last.to == message.to {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((message.from, message.to, 1))
            }
            replay.deliver(sequence: message.sequence, trace: &trace)
        }
        let comment = "# \(line), interrupted after \(end.deliveries - start.deliveries) deliveries:"
        var commands = [comment]
        for run in runs {
            let link = "deliver \(replay.name(run.from))->\(replay.name(run.to))"
            commands.append(run.count == 1 ? link : "\(link) \(run.count)")
        }
        return commands
    }

    /// `source FILE`: runs a script here. Its first error stops it (and, in
    /// script mode, the whole run); failed expectations are reported, counted
    /// in `summary`, and it goes on. Returns `.ok` or `.error`.
    private mutating func source(_ path: String, at location: SourceLocation?, recording commands: inout [String]) -> ScriptRunner.LineResult {
        let resolved = ScriptRunner.resolve(path, relativeTo: location?.file)
        guard sourceDepth < ScriptRunner.maxSourceDepth else {
            return report(CommandError("\(path): scripts source each other more than \(ScriptRunner.maxSourceDepth) deep"), at: location)
        }
        let text: String
        do {
            text = try ScriptRunner.read(resolved)
        } catch {
            return report(CommandError("\(resolved): \(error.message)"), at: location)
        }
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if interruption.isRequested {
                sink(.line("\(resolved): interrupted before line \(index + 1)"))
                return .error
            }
            let here = SourceLocation(file: resolved, line: index + 1)
            let command: Command
            do {
                guard let parsed = try Parser.parse(String(line)) else { continue }
                command = parsed
            } catch {
                return report(CommandError(error.message), at: here)
            }
            switch run(command, line: String(line), at: here, recording: &commands) {
            case .ok: break
            case .expectFailed: summary.failedExpectations += 1
            case .error: return .error
            }
        }
        return .ok
    }

    // MARK: undo and save

    private mutating func undo(_ tokens: [Token], at location: SourceLocation?) -> ScriptRunner.LineResult {
        var wanted = 1
        if tokens.count > 2 {
            return report(CommandError("unexpected \(quoted(tokens[2].text)) (usage: undo [N])"), at: location)
        }
        if tokens.count == 2 {
            guard let n = Int(tokens[1].text), n >= 1 else {
                return report(CommandError("expected how many commands to undo (1 or more), found \(quoted(tokens[1].text))"), at: location)
            }
            wanted = n
        }
        guard !steps.isEmpty else { return report(CommandError("nothing to undo"), at: location) }
        let count = min(wanted, steps.count)
        let undone = steps.suffix(count)
        var restored = undone.first!.before
        restored.settings.trace = interpreter.settings.trace
        interpreter = restored
        steps.removeLast(count)
        for step in undone.reversed() { sink(.line("undone: \(step.line.trimmingCharacters(in: .whitespacesAndNewlines))")) }
        if wanted > count { sink(.line("(only \(count) to undo)")) }
        return .ok
    }

    /// The script `save` writes: it rebuilds the current state when run.
    public var savedScript: String {
        let header = [
            "# Saved by raftsh. Run it (raftsh FILE, or source FILE in the shell) to rebuild the state.",
            "# The commands that changed the state, in order; undone ones are left out.",
            "cluster \(initialSize)",
        ]
        return (header + steps.flatMap(\.commands)).joined(separator: "\n") + "\n"
    }

    private mutating func save(_ tokens: [Token], line: String, at location: SourceLocation?) -> ScriptRunner.LineResult {
        var force = tokens[0].keyword == "save!"
        var rest = tokens.dropFirst()
        if let flag = rest.first, flag.text == "--force" {
            force = true
            rest = rest.dropFirst()
        }
        guard let first = rest.first, let last = rest.last else {
            return report(CommandError("missing a file name (usage: save FILE, save! FILE)"), at: location)
        }
        let path = String(line[first.start..<last.end])
        if FileManager.default.fileExists(atPath: path), !force {
            return report(CommandError("\(path) exists; `save! \(path)` overwrites it"), at: location)
        }
        do {
            try Data(savedScript.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            return report(CommandError("\(path): cannot be written (\(reason))"), at: location)
        }
        let count = steps.reduce(0) { $0 + $1.commands.filter { !$0.hasPrefix("#") }.count }
        sink(.line("saved \(count) command\(count == 1 ? "" : "s") to \(path)"))
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
