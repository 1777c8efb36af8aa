import Foundation
import Testing

@testable import RaftScript

/// The built binary on the inputs issue 22 found: endless lines, odd files, big numbers.
@Suite(.timeLimit(.minutes(3)))
struct HostileInputTests {
    typealias E = EndToEndTests
    static let enabled = EndToEndTests.binary != nil

    /// Runs the binary with standard input read from a file (a pipe written
    /// here would end the test with SIGPIPE when raftsh stops reading early).
    static func raftsh(_ arguments: [String], input: String) throws -> E.Result {
        let folder = TemporaryFolder()
        let path = folder.write("stdin", input)
        return try E.start(arguments, input: FileHandle(forReadingAtPath: path)).finish()
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

/// Command-line errors are clear and exit 2; scripts are read from whatever a
/// shell can hand over (issue 22, item 10).
@Suite(.timeLimit(.minutes(3)))
struct CommandLineTests {
    typealias E = EndToEndTests

    @Test(.enabled(if: E.binary != nil, "build the raftsh product first (swift build)"), arguments: [
        (["--servers", "-1"], "Error: --servers takes 1 to 1000, not -1"),
        (["test", "--servers", "-1", "x"], "Error: --servers takes 1 to 1000, not -1"),
        (["explore", "--max-term", "-1"], "Error: --max-term takes 0 or more, not -1"),
        (["simulate", "--runs", "-5"], "Error: --runs takes 1 or more, not -5"),
        (["simulate", "--bogus"], "Error: Unknown option '--bogus'. Did you mean '--jobs'?"),
        (["test", "--frob", "x"], "Error: Unknown option '--frob'"),
        (["explore", "--unsafe", "bogus"], "Error: The value 'bogus' is invalid for '--unsafe <unsafe>'"),
    ])
    func flagErrorsSayWhatIsWrongAndExit2(_ arguments: [String], _ message: String) throws {
        let result = try E.raftsh(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(message))
    }

    @Test(.enabled(if: E.binary != nil, "build the raftsh product first (swift build)"))
    func devStdinIsReadLikeAFile() throws {
        let result = try E.raftsh(["/dev/stdin"], stdin: "timeout s1\r\nsettle\nexpect s2 leader\n")
        #expect(result.status == 1)
        #expect(result.stderr == "/dev/stdin:3: expect failed: s2 is FOLLOWER, expected LEADER\n")
    }

    @Test(.enabled(if: E.binary != nil, "build the raftsh product first (swift build)"))
    func aFIFOIsReadLikeAFile() throws {
        let folder = TemporaryFolder()
        let fifo = folder.path + "/pipe.raftscript"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo)
            handle?.write(Data("echo through a FIFO\nexpect s1 leader\n".utf8))
            try? handle?.close()
        }
        writer.start()
        let result = try E.raftsh([fifo])
        #expect(result.stdout == "echo through a FIFO\n".replacingOccurrences(of: "echo ", with: ""))
        #expect(result.status == 1)
    }
}

/// `explore --from` a script whose expect fails refuses (issue 22, item 11).
@Suite(.timeLimit(.minutes(3)))
struct ExploreFromTests {
    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func aFailingExpectationIsReportedAndRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.write("start.raftscript", "cluster 3\ntimeout s1\nexpect s1 leader\n")
        let result = try EndToEndTests.raftsh(["explore", "--from", path])
        #expect(result.status == 2)
        #expect(result.stderr == """
            \(path):3: expect failed: s1 is CANDIDATE, expected LEADER
            raftsh explore: error: \(path): 1 expectation failed, so it does not reach the state it describes; fix it before exploring from it

            """)
        #expect(result.stdout.isEmpty)
    }
}
