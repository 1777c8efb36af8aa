import Foundation

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

        /// `N passed, N failed` (and `, N skipped` after walking a folder).
        public var summary: String {
            "\(passed) passed, \(failed) failed" + (walkedFolder ? ", \(skipped) skipped" : "")
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
    let sink: (ScriptRunner.Output) -> Void
    /// A line per script with its result (`PASS`, `FAIL`, `ERROR`, `SKIP`).
    public var verbose = false
    /// Whether finding no script to run is fine; otherwise it is an error, so a
    /// CI job pointed at the wrong folder does not pass.
    public var allowEmpty = false

    public init(servers: Int, sink: @escaping (ScriptRunner.Output) -> Void) {
        self.servers = servers
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
                        result.skipped += 1
                        if verbose { sink(.line("SKIP  \(script) (an exercise)")) }
                    } else {
                        record(runScript(script), of: script, into: &result)
                    }
                }
            } else {
                record(runScript(path), of: path, into: &result)
            }
        }
        if result.passed + result.failed == 0, !result.errored, !allowEmpty {
            let skipped = result.skipped == 0 ? "" : " (\(result.skipped) exercise\(result.skipped == 1 ? "" : "s") skipped)"
            sink(.diagnostic(Diagnostic(.error, at: nil, "no script to run in \(paths.joined(separator: " "))\(skipped); --allow-empty accepts that")))
            result.errored = true
        }
        return result
    }

    private func record(_ summary: ScriptRunner.Summary, of path: String, into result: inout Result) {
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
    }

    private func runScript(_ path: String) -> ScriptRunner.Summary {
        // The failures a .fails script is there to show are not news.
        let quiet = path.hasSuffix(Self.mustFailSuffix)
        do {
            var runner = ScriptRunner(interpreter: try Interpreter(servers: servers, trace: false)) { output in
                guard case .diagnostic(let diagnostic) = output else { return }
                if !quiet || diagnostic.kind == .error { sink(output) }
            }
            return runner.run(file: path)
        } catch {
            sink(.diagnostic(Diagnostic(.error, at: nil, error.message)))
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
