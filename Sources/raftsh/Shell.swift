import Foundation
import RaftNode
import RaftChart
import RaftScript

/// The interactive shell: readline, history, completion and colour at a
/// terminal; without one (a pipe, a here-doc, TERM=dumb) standard input runs as
/// a script would, with a script's exit status.
enum Shell {
    /// With `exercise`, the session starts by `exercise FILE`: the scene is set
    /// and the student is left at its gap (an exercise that cannot be set up ends
    /// the run with status 2).
    static func run(servers: Int, trace: Bool?, node: NodeOptions, exercise: String? = nil) throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let dumb = environment["TERM"] == "dumb"
        let interactive = isatty(STDIN_FILENO) == 1 && !dumb
        let colour = isatty(STDOUT_FILENO) == 1 && !dumb && (environment["NO_COLOR"] ?? "").isEmpty
        // At the prompt Ctrl-C clears the line; it must not reach a node program either.
        if interactive { ChildProcesses.shellHandlesInterrupt = true }
        let implementation = try node.implementation(passStandardError: interactive)
        var interpreter: Interpreter
        do {
            interpreter = try Interpreter(servers: servers, trace: trace ?? interactive, implementation: implementation)
            interpreter.progress = Console.terminalProgress
        } catch {
            Console.print(Diagnostic(.error, at: nil, error.message).description, to: .standardError)
            return 2
        }
        let output = Output(highlighter: colour ? Highlighter() : nil)
        guard interactive else {
            var session = Session(interpreter: interpreter, mode: .script(name: "<stdin>"), sink: output.write)
            session.additions = ShellCharts.additions(colour: colour, width: terminalSize)
            if let exercise, !start(exercise, in: &session) { return 2 }
            var input = StandardInputLines()
            return session.run(&input)
        }
        var session = Session(interpreter: interpreter, mode: .interactive, interruption: interruptRequest, sink: output.write)
        if isatty(STDOUT_FILENO) == 1 { session.terminalWidth = terminalColumns }
        session.additions = ShellCharts.additions(colour: colour, width: terminalSize)
        var input = PaintedPrompt(
            base: ReadlineSource(historyPath: HistoryFile.defaultPath(environment: environment)) { warning in
                Console.print("raftsh: warning: \(warning)", to: .standardError)
            },
            highlighter: colour ? Highlighter(forReadline: true) : nil
        )
        let names = interpreter.cluster.names
        Console.print("raftsh: a cluster of \(names.count) server\(names.count == 1 ? "" : "s") (\(names.count <= 8 ? names.joined(separator: " ") : "\(names[0]) … \(names[names.count - 1])")), all FOLLOWERs at term 0.")
        if let program = implementation.program { Console.print("The servers are your program: \(program.description).") }
        Console.print("Type `help` for the commands, TAB to complete, `undo` to step back,")
        Console.print("Ctrl-D to leave.")
        if let exercise, !start(exercise, in: &session) { return 2 }
        return session.run(&input)
    }

    /// Runs `exercise FILE` in the session; false if it could not be set up.
    private static func start(_ exercise: String, in session: inout Session) -> Bool {
        _ = session.handle("exercise \(exercise)")
        return !session.summary.errored
    }
}

/// The terminal's columns and lines now (it may have been resized), nil when
/// standard output is not a terminal.
private func terminalWindow() -> (columns: Int, lines: Int)? {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return (Int(size.ws_col), Int(size.ws_row))
}

/// The terminal's width in columns, nil when it cannot be told.
@Sendable private func terminalColumns() -> Int? {
    terminalWindow()?.columns
}

/// The terminal's size for `show timeline`; COLUMNS and LINES, or 80 by 24,
/// when output is not a terminal.
@Sendable private func terminalSize() -> (columns: Int, lines: Int) {
    if let window = terminalWindow() { return window }
    let environment = ProcessInfo.processInfo.environment
    return (environment["COLUMNS"].flatMap(Int.init) ?? 80, environment["LINES"].flatMap(Int.init) ?? 24)
}

/// Where the session's output goes: lines to standard output, diagnostics to
/// standard error, coloured when the highlighter is there.
private struct Output {
    let highlighter: Highlighter?

    func write(_ output: ScriptRunner.Output) {
        switch output {
        case .line(let text):
            Console.print(highlighter?.line(text) ?? text)
        case .diagnostic(let diagnostic):
            Console.print(highlighter?.diagnostic(diagnostic) ?? diagnostic.description, to: .standardError)
        }
    }
}

/// Colours the prompt of another source.
private struct PaintedPrompt<Base: LineSource>: LineSource {
    var base: Base
    let highlighter: Highlighter?

    mutating func nextLine(prompt: String, completer: Completer) -> String? {
        base.nextLine(prompt: highlighter?.prompt(prompt) ?? prompt, completer: completer)
    }
}

/// Standard input, line by line, for a pipe or a here-doc: cut as a script
/// file is (any line end, a byte-order mark, the same longest line).
private struct StandardInputLines: LineSource {
    var reader = LineReader(fileDescriptor: STDIN_FILENO)

    mutating func nextLine(prompt: String, completer: Completer) -> String? {
        reader.next()
    }
}
