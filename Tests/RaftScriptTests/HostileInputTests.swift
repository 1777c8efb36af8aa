import Foundation
import Testing

@testable import RaftScript

/// The built binary on the inputs issue 22 found: endless lines, odd files, big numbers.
@Suite(.timeLimit(.minutes(1)))
struct HostileInputTests {
    typealias E = EndToEndTests
    static let enabled = EndToEndTests.binary != nil

    /// Runs the binary with standard input read from a file (a pipe written
    /// here would end the test with SIGPIPE when raftsh stops reading early).
    static func raftsh(_ arguments: [String], input: String) throws -> E.Result {
        let folder = TemporaryFolder()
        let path = folder.write("stdin", input)
        guard let binary = E.binary else { throw CancellationError() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: path)
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "dumb"
        process.environment = environment
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return E.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test(.enabled(if: enabled, "build the raftsh product first (swift build)"))
    func windowsLineEndsOnStandardInputAndInAFileRunAndFail() throws {
        let text = "# must fail\r\ntimeout s1\r\nsettle\r\nexpect s2 leader\r\n"
        #expect(try E.raftsh([], stdin: text).status == 1)
        let folder = TemporaryFolder()
        let path = folder.write("crlf.raftscript", text)
        let result = try E.raftsh([path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(path):4: expect failed: s2 is FOLLOWER, expected LEADER\n")
        let test = try E.raftsh(["test", path])
        #expect(test.status == 1)
        #expect(test.stdout.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test(.enabled(if: enabled, "build the raftsh product first (swift build)"))
    func anEndlessLineOnStandardInputIsAnError() throws {
        let result = try Self.raftsh([], input: "timeout s1\n" + String(repeating: "\u{0}", count: 200_000))
        #expect(result.status == 2)
        #expect(result.stderr == "<stdin>:2: error: the line is longer than 65536 bytes, the most a line may have\n")
    }

    @Test func theShellRefusesAnOverlongLineAndGoesOn() {
        var out: [String] = []
        var session = Session(interpreter: try! Interpreter(), mode: .interactive) { output in
            if case .diagnostic(let diagnostic) = output { out.append(diagnostic.description) }
        }
        #expect(session.handle("echo " + String(repeating: "y", count: 70_000)) == .proceed)
        #expect(out == ["error: the line is longer than 65536 bytes, the most a line may have"])
        #expect(session.handle("timeout s1") == .proceed)
        #expect(session.interpreter.cluster.network.count == 4)
    }
}
