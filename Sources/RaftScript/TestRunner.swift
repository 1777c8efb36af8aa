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
                for script in Self.scripts(under: path) {
                    if script.hasSuffix(Self.exerciseSuffix) {
                        result.skipped += 1
                    } else {
                        record(runScript(script), of: script, into: &result)
                    }
                }
            } else {
                record(runScript(path), of: path, into: &result)
            }
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

    /// Every `.raftscript` under a folder, in a stable (sorted) order.
    static func scripts(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(scriptSuffix) {
                found.append((folder as NSString).appendingPathComponent(relative))
            }
        }
        return found.sorted()
    }
}
