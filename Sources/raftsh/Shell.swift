import Foundation
import RaftScript

/// The interactive shell: readline, history, completion and colour at a
/// terminal; without one (a pipe, a here-doc, TERM=dumb) standard input runs as
/// a script would, with a script's exit status.
enum Shell {
    static func run(servers: Int, trace: Bool?) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let dumb = environment["TERM"] == "dumb"
        let interactive = isatty(STDIN_FILENO) == 1 && !dumb
        let colour = isatty(STDOUT_FILENO) == 1 && !dumb && (environment["NO_COLOR"] ?? "").isEmpty
        var interpreter: Interpreter
        do {
            interpreter = try Interpreter(servers: servers, trace: trace ?? interactive)
            interpreter.progress = Console.terminalProgress
        } catch {
            Console.print(Diagnostic(.error, at: nil, error.message).description, to: .standardError)
            return 2
        }
        let output = Output(highlighter: colour ? Highlighter() : nil)
        guard interactive else {
            var session = Session(interpreter: interpreter, mode: .script(name: "<stdin>"), sink: output.write)
            var input = StandardInputLines()
            return session.run(&input)
        }
        var session = Session(interpreter: interpreter, mode: .interactive, interruption: interruptRequest, sink: output.write)
        var input = PaintedPrompt(
            base: ReadlineSource(historyPath: HistoryFile.defaultPath(environment: environment)) { warning in
                Console.print("raftsh: warning: \(warning)", to: .standardError)
            },
            highlighter: colour ? Highlighter(forReadline: true) : nil
        )
        let names = interpreter.cluster.names
        Console.print("raftsh: a cluster of \(names.count) server\(names.count == 1 ? "" : "s") (\(names.count <= 8 ? names.joined(separator: " ") : "\(names[0]) … \(names[names.count - 1])")), all FOLLOWERs at term 0.")
        Console.print("Type `help` for the commands, TAB to complete, `undo` to step back, Ctrl-D to leave.")
        return session.run(&input)
    }
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
