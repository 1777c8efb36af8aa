import Foundation
import Testing

/// The built `raftsh` binary, next to the test bundle or in a build folder of
/// this package; nil when it has not been built.
private let raftshBinary: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("raftsh").path
    let candidates = [nextToTests] + [".build-shell", ".build"].map { root.appendingPathComponent("\($0)/debug/raftsh").path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Runs raftsh with `input` piped to its standard input.
private func pipe(_ input: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(raftshBinary))
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

@Suite(
    "raftsh with a pipe on standard input",
    .enabled(if: raftshBinary != nil, "raftsh is not built: run `swift build` first (looked next to the tests and in .build-shell/debug, .build/debug)"),
    .timeLimit(.minutes(3))
)
struct ShellEndToEndTests {
    @Test func runsLinesAsAScript() throws {
        let result = try pipe("timeout s1\nsettle\nexpect leader s1\nshow s1\n")
        #expect(result.status == 0)
        #expect(result.err.isEmpty)
        #expect(result.out.contains("state        LEADER"))
        #expect(!result.out.contains("raft["), "no prompt without a terminal")
        #expect(!result.out.contains("election timeout"), "no narration in a script")
    }

    @Test func aFailedExpectationIsStatusOne() throws {
        let result = try pipe("timeout s1\nexpect s1 leader\necho went on\n")
        #expect(result.status == 1)
        #expect(result.err == "<stdin>:2: expect failed: s1 is CANDIDATE, expected LEADER\n")
        #expect(result.out == "went on\n")
    }

    @Test func anErrorStopsWithStatusTwo() throws {
        let result = try pipe("timeout s1\nundp\necho not reached\n")
        #expect(result.status == 2)
        #expect(result.err == "<stdin>:2: error: unknown command `undp`; did you mean `undo`?\n")
        #expect(result.out.isEmpty)
    }

    @Test func shellCommandsWorkInAPipe() throws {
        let result = try pipe("timeout s1\nsettle\nundo\nexpect s1 candidate\nquit\necho not reached\n", arguments: ["--servers", "3"])
        #expect(result.status == 0)
        #expect(result.out == "undone: settle\n")
    }

    @Test func anExerciseIsWorkedFromStandardInput() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let exercise = root.appendingPathComponent("scripts/exercises/two-leaders.exercise.raftscript").path
        let unsolved = try pipe("check\n", arguments: ["exercise", exercise], environment: ["NO_COLOR": "1"])
        #expect(unsolved.status == 1)
        #expect(unsolved.out.contains("check: not yet, "))
        let solved = try pipe("partition s1 s2 | s3 s4 s5\ntimeout s4\nsettle\ncheck\n", arguments: ["exercise", exercise])
        #expect(solved.status == 0)
        #expect(solved.out.hasSuffix("check: solved, all 13 expectations hold\n"), "\(solved.out)")
        #expect(try pipe("", arguments: ["exercise", "/nonexistent.raftscript"]).status == 2)
    }

    @Test func traceCanBeTurnedOn() throws {
        let result = try pipe("timeout s1\n", arguments: ["--trace"], environment: ["NO_COLOR": "1"])
        #expect(result.out == "· s1  election timeout → CANDIDATE, term 1, votes for itself, RequestVote → s2 s3 s4 s5\n")
    }
}
