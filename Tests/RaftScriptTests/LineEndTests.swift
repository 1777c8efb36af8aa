import Foundation
import Testing

@testable import RaftScript

/// Line ends, byte-order marks and invisible characters (issue 22, item 1).
@Suite(.timeLimit(.minutes(3)))
struct LineEndTests {
    static let failingScript = ["# must fail", "timeout s1", "settle", "expect s2 leader"]

    @Test(arguments: ["\r\n", "\r", "\n"])
    func everyLineEndEndsALine(_ end: String) {
        let run = Run(Self.failingScript.joined(separator: end) + end)
        #expect(run.summary.exitStatus == 1)
        #expect(run.diagnostics == ["t.raftscript:4: expect failed: s2 is FOLLOWER, expected LEADER"])
    }

    @Test func aFileWithWindowsLineEndsRunsAndFails() throws {
        let folder = TemporaryFolder()
        let path = folder.write("crlf.raftscript", Self.failingScript.joined(separator: "\r\n") + "\r\n")
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: try Interpreter()) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        #expect(runner.run(file: path).exitStatus == 1)
        #expect(diagnostics == ["\(path):4: expect failed: s2 is FOLLOWER, expected LEADER"])
        let result = TestRunner(servers: 5) { _ in }.run(paths: [path])
        #expect(result.failed == 1 && result.passed == 0)
    }

    @Test func aByteOrderMarkAtTheStartIsIgnored() {
        let run = Run("\u{FEFF}timeout s1\nsettle\nexpect s1 leader\n")
        #expect(run.summary.exitStatus == 0)
        #expect(run.diagnostics.isEmpty)
    }

    @Test func aByteOrderMarkElsewhereIsShownEscaped() {
        let run = Run("timeout s1\n\u{FEFF}settle\n")
        #expect(run.summary.exitStatus == 2)
        #expect(run.diagnostics == ["t.raftscript:2: error: unknown command `\\u{feff}settle`; did you mean `settle`?"])
    }

    @Test func invisibleCharactersInAMessageAreEscaped() {
        let run = Run("timeout s\u{200B}1\n")
        #expect(run.diagnostics.count == 1)
        #expect(run.diagnostics[0].contains("`s\\u{200b}1`"))
        let diagnostic = Diagnostic(.error, at: nil, "x\u{2028}y\u{0007}")
        #expect(diagnostic.description == "error: x\\u{2028}y\\x07")
    }

    /// A read boundary between `\r` and `\n` (the reader takes 64 KiB at a time)
    /// still makes one line end.
    @Test func aLineEndSplitAcrossReadsIsOneLineEnd() throws {
        let folder = TemporaryFolder()
        let path = folder.write("long", String(repeating: "x", count: 65_535) + "\r\nsecond\r\rlast")
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        var reader = LineReader(fileDescriptor: descriptor)
        var lines: [String] = []
        while let line = reader.next() { lines.append(line) }
        #expect(lines.map(\.count) == [65_535, 6, 0, 4])
    }
}
