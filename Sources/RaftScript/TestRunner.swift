import Foundation
import RaftCluster

/// `raftsh test PATH…`: every script in a fresh cluster, quiet except for what failed.
public struct TestRunner {
    public struct Result: Hashable, Sendable {
        public var passed = 0
        public var failed = 0
        public var skipped = 0
        /// A folder was walked, so exercises may have been skipped: the summary says how many.
        public var walkedFolder = false
        /// An error (not a failed expectation) happened somewhere.
        public var errored = false
        /// One entry per script run or skipped, in order: what `--junit` writes.
        public var cases: [TestCase] = []

        /// `N passed, N failed` (and `, N skipped` after walking a folder).
        public var summary: String {
            "\(passed) passed, \(failed) failed" + (walkedFolder || skipped > 0 ? ", \(skipped) skipped" : "")
        }

        public var exitStatus: Int32 { errored ? 2 : failed > 0 ? 1 : 0 }
    }

    /// Exercises fail until a student solves them, so a folder walk skips them.
    public static let exerciseSuffix = ".exercise.raftscript"
    /// Demonstrations of a failure (an unsafe variant breaking `expect safe`): they
    /// pass when an expectation fails and nothing is an error, and fail otherwise.
    public static let mustFailSuffix = ".fails.raftscript"
    public static let scriptSuffix = ".raftscript"

    let servers: Int
    /// Whose code every script's servers run (`--node`): one program serves them all.
    let implementation: Implementation
    let sink: (ScriptRunner.Output) -> Void
    /// A line per script with its result (`PASS`, `FAIL`, `ERROR`, `SKIP`).
    public var verbose = false
    /// Whether finding no script to run is fine; otherwise it is an error, so a
    /// CI job pointed at the wrong folder does not pass.
    public var allowEmpty = false

    public init(servers: Int, implementation: Implementation = .builtIn, sink: @escaping (ScriptRunner.Output) -> Void) {
        self.servers = servers
        self.implementation = implementation
        self.sink = sink
    }

    public func run(paths: [String]) -> Result {
        var result = Result()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                sink(.diagnostic(Diagnostic(.error, at: nil, "\(path): no such file or folder")))
                result.failed += 1
                result.errored = true
                continue
            }
            if isDirectory.boolValue {
                result.walkedFolder = true
                let (scripts, problems) = Self.scripts(under: path)
                for problem in problems {
                    sink(.diagnostic(Diagnostic(.error, at: nil, problem)))
                    result.errored = true
                }
                for script in scripts {
                    if script.hasSuffix(Self.exerciseSuffix) {
                        skip(script, because: "an exercise (it fails until solved); name it to run it", into: &result)
                        if verbose { sink(.line("SKIP  \(script) (an exercise)")) }
                    } else {
                        runAndRecord(script, into: &result)
                    }
                }
            } else {
                runAndRecord(path, into: &result)
            }
        }
        if result.passed + result.failed == 0, !result.errored, !allowEmpty {
            let skipped = result.skipped == 0 ? "" : " (\(result.skipped) exercise\(result.skipped == 1 ? "" : "s") skipped)"
            sink(.diagnostic(Diagnostic(.error, at: nil, "no script to run in \(paths.joined(separator: " "))\(skipped); --allow-empty accepts that")))
            result.errored = true
        }
        return result
    }

    private func skip(_ path: String, because reason: String, into result: inout Result) {
        result.skipped += 1
        result.cases.append(TestCase(path: path, outcome: .skipped(reason)))
    }

    private func runAndRecord(_ path: String, into result: inout Result) {
        if let program = implementation.program, let reason = Self.needsOwnServers(path, program: program) {
            sink(.line("skipped \(path): \(reason)"))
            skip(path, because: reason, into: &result)
            return
        }
        let clock = ContinuousClock()
        let start = clock.now
        var diagnostics: [Diagnostic] = []
        let summary = runScript(path) { diagnostics.append($0) }
        let passed = record(summary, of: path, into: &result)
        let outcome: TestCase.Outcome
        if summary.errored {
            outcome = .error(diagnostics.last { $0.kind == .error } ?? Diagnostic(.error, at: nil, "error"))
        } else if passed {
            outcome = .passed
        } else if diagnostics.isEmpty {
            outcome = .failed([Diagnostic(.expectFailed, at: nil, "every expectation held, but a .fails script must break one")])
        } else {
            outcome = .failed(diagnostics)
        }
        let (whole, fraction) = (clock.now - start).components
        result.cases.append(TestCase(path: path, outcome: outcome, seconds: Double(whole) + Double(fraction) / 1e18))
    }

    /// Why a script cannot run against a user's program, if it cannot: `set
    /// unsafe` breaks a rule of raftsh's own servers. Such a script is skipped,
    /// never counted as passed.
    static func needsOwnServers(_ path: String, program: any ServerProgram) -> String? {
        guard let text = try? ScriptFile.text(path) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            if case .setOption(.unsafe)? = try? Parser.parse(String(line)) {
                return "it uses `set unsafe`, which breaks a rule of raftsh's own servers, not of a node"
            }
        }
        return nil
    }

    @discardableResult
    private func record(_ summary: ScriptRunner.Summary, of path: String, into result: inout Result) -> Bool {
        let passed: Bool
        if path.hasSuffix(Self.mustFailSuffix) {
            passed = !summary.errored && summary.failedExpectations > 0
            if !passed, !summary.errored {
                sink(.diagnostic(Diagnostic(.expectFailed, at: nil, "\(path): every expectation held, but a .fails script must break one")))
            }
        } else {
            passed = summary.exitStatus == 0
        }
        if passed { result.passed += 1 } else { result.failed += 1 }
        if summary.errored { result.errored = true }
        if verbose { sink(.line("\(summary.errored ? "ERROR" : passed ? "PASS " : "FAIL ") \(path)")) }
        return passed
    }

    private func runScript(_ path: String, diagnostics: @escaping (Diagnostic) -> Void) -> ScriptRunner.Summary {
        // The failures a .fails script is there to show are not news.
        let quiet = path.hasSuffix(Self.mustFailSuffix)
        do {
            var runner = ScriptRunner(interpreter: try Interpreter(servers: servers, trace: false, implementation: implementation)) { output in
                guard case .diagnostic(let diagnostic) = output else { return }
                if !quiet || diagnostic.kind == .error {
                    sink(output)
                    diagnostics(diagnostic)
                }
            }
            return runner.run(file: path)
        } catch {
            let diagnostic = Diagnostic(.error, at: nil, "\(path): \(error.message)")
            sink(.diagnostic(diagnostic))
            diagnostics(diagnostic)
            var summary = ScriptRunner.Summary()
            summary.errored = true
            return summary
        }
    }

    /// Every `.raftscript` under a folder, in a stable (sorted) order, and what
    /// could not be read on the way (a folder that cannot be listed is an error,
    /// not an empty folder). Links to folders are not followed, so a loop of
    /// links cannot make the walk endless.
    static func scripts(under folder: String) -> (scripts: [String], problems: [String]) {
        var found: [String] = []
        var problems: [String] = []
        var pending = [folder]
        while let current = pending.popLast() {
            guard let listing = opendir(current) else {
                problems.append("\(current): \(ScriptFile.reason(errno).replacingOccurrences(of: "no such file", with: "no such folder"))")
                continue
            }
            defer { closedir(listing) }
            while let entry = readdir(listing) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard name != ".", name != ".." else { continue }
                let path = (current as NSString).appendingPathComponent(name)
                var info = stat()
                guard lstat(path, &info) == 0 else {
                    problems.append("\(path): \(ScriptFile.reason(errno))")
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append(path)
                case S_IFREG, S_IFLNK:
                    if name.hasSuffix(scriptSuffix) { found.append(path) }
                default:
                    // A FIFO met on a walk would wait for a writer for ever.
                    if name.hasSuffix(scriptSuffix) { problems.append("\(path): \(FileWriter.kind(info.st_mode)), not a script file") }
                }
            }
        }
        return (found.sorted(), problems.sorted())
    }
}
