import ArgumentParser
import Foundation
import RaftCluster
import RaftNode
import RaftScript

/// Writing to the terminal: lines go out as soon as they are made.
enum Console {
    enum Stream {
        case standardOutput
        case standardError
    }

    static func print(_ line: String, to stream: Stream = .standardOutput) {
        let handle = stream == .standardOutput && !jsonOnStandardOutput ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data((line + "\n").utf8))
    }

    /// Set by `--json` before any work starts: standard output then carries the
    /// summary object alone, and every line meant for it goes to standard error.
    nonisolated(unsafe) static var jsonOnStandardOutput = false

    /// The `--json` summary: one object on one line of standard output.
    static func printJSON(_ value: JSON) {
        FileHandle.standardOutput.write(Data((JSONWriter.text(value) + "\n").utf8))
    }

    /// Where a long command says how it is going: one line on standard error,
    /// rewritten in place, when that is a terminal; nowhere otherwise. The line
    /// ends with the memory raftsh holds (an empty text clears the line).
    static var terminalProgress: (@Sendable (String) -> Void)? {
        guard progressInPlace else { return nil }
        return { text in
            let memory = text.isEmpty ? "" : "  memory \(Memory.residentMiB()) MiB"
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + memory).utf8))
        }
    }

    /// Whether a progress line can be rewritten in place: standard error is a
    /// terminal that understands `\r` and erasing to the end of the line.
    static var progressInPlace: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func write(_ output: ScriptRunner.Output, diagnosticsTo stream: Stream, colour: Colour = Colour(lines: false, diagnostics: false)) {
        switch output {
        case .line(let text): print(colour.lines ? Highlighter().line(text) : text)
        case .diagnostic(let diagnostic):
            print(colour.diagnostics ? Highlighter().diagnostic(diagnostic) : diagnostic.description, to: stream)
        }
    }

    /// Which of the two streams get the shell's colours.
    struct Colour {
        var lines: Bool
        var diagnostics: Bool

        init(lines: Bool, diagnostics: Bool) {
            self.lines = lines
            self.diagnostics = diagnostics
        }

        /// As the shell decides: a terminal, unless `NO_COLOR` is set or `TERM=dumb`.
        static func forTerminal(diagnosticsTo stream: Stream) -> Colour {
            let environment = ProcessInfo.processInfo.environment
            let allowed = environment["TERM"] != "dumb" && (environment["NO_COLOR"] ?? "").isEmpty
            let errorFile = stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO
            return Colour(lines: allowed && isatty(STDOUT_FILENO) == 1, diagnostics: allowed && isatty(errorFile) == 1)
        }
    }

    /// Writes a counterexample script and its chart, says where, and ends the command with status
    /// 1 (a violation was found), or 2 when the file cannot be written.
    static func writeCounterexample(_ text: String, to path: String, implementation: Implementation) throws -> Never {
        try saveCounterexample(text, to: path, implementation: implementation)
        throw ExitCode(1)
    }

    /// Writes a counterexample script and its chart and says where; ends the
    /// command with status 2 when the file cannot be written.
    static func saveCounterexample(_ text: String, to path: String, implementation: Implementation) throws {
        do {
            try FileWriter.write(text, to: path)
        } catch {
            print("error: \(error.message)", to: .standardError)
            throw ExitCode(2)
        }
        print("wrote \(path)")
        CounterexampleChart.write(script: text, nextTo: path, implementation: implementation)
    }
}
