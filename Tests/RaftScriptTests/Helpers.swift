import Foundation

@testable import RaftScript

/// Runs script text in a fresh interpreter and keeps everything it printed.
struct Run {
    var lines: [String] = []
    var diagnostics: [String] = []
    var summary = ScriptRunner.Summary()
    var interpreter: Interpreter

    init(_ text: String, servers: Int = 5, trace: Bool = false, file: String = "t.raftscript") {
        var lines: [String] = []
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: try! Interpreter(servers: servers, trace: trace)) { output in
            switch output {
            case .line(let line): lines.append(line)
            case .diagnostic(let diagnostic): diagnostics.append(diagnostic.description)
            }
        }
        summary = runner.run(script: text, named: file)
        interpreter = runner.interpreter
        self.lines = lines
        self.diagnostics = diagnostics
    }
}

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "raftsh-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
