import Foundation

/// Runs RaftScript lines, files and `source` commands against one interpreter.
///
/// Output goes to `sink` as it happens, so a long script shows progress and a
/// crash loses nothing already printed.
public struct ScriptRunner {
    public enum Output: Hashable, Sendable {
        case line(String)
        case diagnostic(Diagnostic)
    }

    /// How one line ended.
    public enum LineResult: Hashable, Sendable {
        case ok
        case expectFailed
        /// The line could not be carried out; a script stops here.
        case error
    }

    /// How a script ended.
    public struct Summary: Hashable, Sendable {
        public var failedExpectations = 0
        public var errored = false

        public init() {}

        /// 0 when every assertion held, 1 when any failed, 2 on an error.
        public var exitStatus: Int32 { errored ? 2 : failedExpectations > 0 ? 1 : 0 }
    }

    public var interpreter: Interpreter
    /// Words the caller handles itself, offered in "did you mean" suggestions.
    public var extraCommands: [String] = []
    /// Sees each command carried out (the charts' recorder); the interpreter keeps
    /// each command's events only while there is one.
    public var observer: (any CommandObserver)? {
        didSet { interpreter.keepsEvents = observer != nil }
    }
    private let sink: (Output) -> Void
    private var sourceDepth = 0
    static let maxSourceDepth = 16

    public init(interpreter: Interpreter, sink: @escaping (Output) -> Void) {
        self.interpreter = interpreter
        self.sink = sink
    }

    /// Parses and runs one line, reporting failures and errors at `location`.
    public mutating func run(line: String, at location: SourceLocation?) -> LineResult {
        let command: Command
        do {
            guard let parsed = try Parser.parse(line, extraCommands: extraCommands) else { return .ok }
            command = parsed
        } catch {
            sink(.diagnostic(Diagnostic(.error, at: location, error.message)))
            return .error
        }
        return run(command, line: line, at: location)
    }

    public mutating func run(_ command: Command, line: String = "", at location: SourceLocation?) -> LineResult {
        if case .source(let path) = command {
            let summary = run(file: path, relativeTo: location?.file, at: location)
            return summary.errored ? .error : summary.failedExpectations > 0 ? .expectFailed : .ok
        }
        do {
            let reply = try interpreter.run(command)
            observer?.observe(CommandRecord(
                line: line, location: location, command: command, events: reply.events, output: reply.lines,
                failure: reply.failure, error: nil, cluster: interpreter.cluster))
            for line in reply.lines { sink(.line(line)) }
            if let failure = reply.failure {
                sink(.diagnostic(Diagnostic(.expectFailed, at: location, failure)))
                return .expectFailed
            }
            return .ok
        } catch {
            observer?.observe(CommandRecord(
                line: line, location: location, command: command, events: [], output: [],
                failure: nil, error: error.message, cluster: interpreter.cluster))
            sink(.diagnostic(Diagnostic(.error, at: location, error.message)))
            return .error
        }
    }

    /// Runs a script's text line by line; the first error stops it.
    public mutating func run(script text: String, named file: String) -> Summary {
        var lines = LineReader(text: text)
        return run(lines: &lines, named: file)
    }

    /// Runs lines as the script `file`; the first error stops it.
    mutating func run(lines: inout LineReader, named file: String) -> Summary {
        var summary = Summary()
        var number = 0
        while let line = lines.next() {
            number += 1
            switch run(line: line, at: SourceLocation(file: file, line: number)) {
            case .ok: break
            case .expectFailed: summary.failedExpectations += 1
            case .error:
                summary.errored = true
                return summary
            }
        }
        if let failure = lines.failure {
            sink(.diagnostic(Diagnostic(.error, at: SourceLocation(file: file, line: number + 1), "cannot be read (\(failure))")))
            summary.errored = true
        }
        return summary
    }

    /// Reads and runs a file. A relative path in a `source` line is taken from
    /// the including script's folder; errors opening it are reported at `location`,
    /// the `source` line.
    public mutating func run(file path: String, relativeTo includer: String? = nil, at location: SourceLocation? = nil) -> Summary {
        var summary = Summary()
        let resolved = Self.resolve(path, relativeTo: includer)
        guard sourceDepth < Self.maxSourceDepth else {
            sink(.diagnostic(Diagnostic(.error, at: location, "\(path): scripts source each other more than \(Self.maxSourceDepth) deep")))
            summary.errored = true
            return summary
        }
        let file: ScriptFile
        do {
            file = try ScriptFile(path: resolved)
        } catch {
            sink(.diagnostic(Diagnostic(.error, at: location, "\(resolved): \(error.message)")))
            summary.errored = true
            return summary
        }
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        return run(lines: &file.lines, named: resolved)
    }

    static func resolve(_ path: String, relativeTo includer: String?) -> String {
        guard !path.hasPrefix("/"), let includer, includer.contains("/") else { return path }
        let folder = (includer as NSString).deletingLastPathComponent
        return (folder as NSString).appendingPathComponent(path)
    }
}
