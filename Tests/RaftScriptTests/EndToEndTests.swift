import Foundation
import Testing

/// The built `raftsh` binary on real files: output, streams and exit status.
@Suite(.timeLimit(.minutes(3)))
struct EndToEndTests {
    /// The executable next to the test bundle (SwiftPM puts products side by side).
    static var binary: String? {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [products, Bundle.main.bundleURL] {
            let path = candidate.appendingPathComponent("raftsh").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A raftsh started by `start`, with its two output streams.
    struct Running {
        let process: Process
        let out: Pipe, err: Pipe

        /// Both streams, read to their end (once the process has closed them).
        func outputs() -> (stdout: String, stderr: String) {
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        }

        /// Reads both streams and waits for the exit.
        func finish() -> Result {
            let (stdout, stderr) = outputs()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }
    }

    /// Starts the binary with `input` (a `Pipe` or a `FileHandle`) as its
    /// standard input, `TERM=dumb` and `extra` in its environment.
    static func start(_ arguments: [String], input: Any?, environment extra: [String: String] = [:]) throws -> Running {
        guard let binary else { throw CancellationError() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        process.environment = ProcessInfo.processInfo.environment.merging(["TERM": "dumb"].merging(extra) { $1 }) { $1 }
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    static func raftsh(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let input = Pipe()
        let running = try start(arguments, input: input)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        return running.finish()
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func aScriptRunsAndFailedExpectationsGoToStandardError() throws {
        let folder = TemporaryFolder()
        let script = folder.write("s.raftscript", "#!/usr/bin/env raftsh\ntimeout s1\nsettle\necho elected\nexpect s2 leader\n")
        let result = try Self.raftsh([script])
        #expect(result.status == 1)
        #expect(result.stdout == "elected\n")
        #expect(result.stderr == "\(script):5: expect failed: s2 is FOLLOWER, expected LEADER\n")
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func exitStatusesFollowSection9() throws {
        let folder = TemporaryFolder()
        let passing = folder.write("ok.raftscript", "timeout s1\nsettle\nexpect leader s1\n")
        #expect(try Self.raftsh([passing]).status == 0)
        let erroring = folder.write("bad.raftscript", "timeout s1\ntimeout s1 s1 s1 s9\n")
        let bad = try Self.raftsh([erroring])
        #expect(bad.status == 2)
        #expect(bad.stderr == "\(erroring):2: error: unknown server `s9` (the servers are s1 s2 s3 s4 s5)\n")
        let missing = try Self.raftsh([folder.path + "/nope.raftscript"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: \(folder.path)/nope.raftscript: no such file\n")
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func binaryGarbageAndHugeLinesAreOneErrorLine() throws {
        let folder = TemporaryFolder()
        let garbage = (folder.path as NSString).appendingPathComponent("garbage.raftscript")
        _ = FileManager.default.createFile(atPath: garbage, contents: Data([0x00, 0xFF, 0xFE, 0x0A, 0x41]))
        let result = try Self.raftsh([garbage])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        let huge = folder.write("huge.raftscript", "echo " + String(repeating: "y", count: 200_000) + "\nsubmit s1 " + String(repeating: "z", count: 200_000) + "\nfrob" + String(repeating: "w", count: 200_000) + "\n")
        let hugeResult = try Self.raftsh([huge])
        #expect(hugeResult.status == 2)
        #expect(hugeResult.stderr.count < 200)
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func testSubcommandPrintsTheSummaryLast() throws {
        let folder = TemporaryFolder()
        folder.write("a.raftscript", "timeout s1\nsettle\nexpect s1 leader\n")
        folder.write("b.exercise.raftscript", "expect s1 leader\n")
        let result = try Self.raftsh(["test", folder.path])
        #expect(result.status == 0)
        #expect(result.stdout == "1 passed, 0 failed, 1 skipped\n")
        let servers = try Self.raftsh(["test", "--servers", "3", folder.path + "/a.raftscript"])
        #expect(servers.stdout == "1 passed, 0 failed\n")
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func serversAndTraceOptions() throws {
        let folder = TemporaryFolder()
        let script = folder.write("t.raftscript", "timeout s3\n")
        let result = try Self.raftsh(["--servers", "3", "--trace", script])
        #expect(result.stdout == "· s3  election timeout → CANDIDATE, term 1, votes for itself, RequestVote → s1 s2\n")
        let bad = try Self.raftsh(["--servers", "0", script])
        #expect(bad.status != 0)
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func simulateWritesAShrunkCounterexampleThatFailsWhenReplayed() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/cx.raftscript"
        let found = try Self.raftsh(["simulate", "--unsafe", "keep-stale-term", "--runs", "20", "--jobs", "1", "--output", path])
        #expect(found.status == 1)
        #expect(found.stdout.contains("violation in the run with seed 1 after"))
        #expect(found.stdout.contains("wrote \(path)\n"))
        let replay = try Self.raftsh([path])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("expect failed: not safe: Election Safety"))

        let safe = try Self.raftsh(["simulate", "--runs", "3", "--steps", "500", "--clients", "--crashes"])
        #expect(safe.status == 0)
        #expect(safe.stdout.hasSuffix("no safety violation\n"))
        let figures = safe.stdout.split(separator: "\n").first { $0.hasPrefix("elections started ") }
        #expect(figures?.contains(" a run; a server became CANDIDATE), terms started ") == true, "\(safe.stdout)")
        #expect(figures?.contains(" a run; steps in a row that found no live LEADER)") == true, "\(safe.stdout)")
        let cut = try Self.raftsh(["simulate", "--runs", "3", "--steps", "500", "--cuts"])
        #expect(cut.status == 0)
        let bad = try Self.raftsh(["simulate", "--unsafe", "bogus"])
        #expect(bad.status == 2)
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func exploreReportsTheBoundedSpaceOrAShortestCounterexample() throws {
        let safe = try Self.raftsh(["explore", "--max-term", "2", "--max-log", "0", "--max-in-flight", "3"])
        #expect(safe.status == 0)
        #expect(safe.stdout.hasPrefix("638 distinct states (symmetry: they stand for 3787 states, 5.9× fewer), 851 generated, depth 22,"))
        let folder = TemporaryFolder()
        let path = folder.path + "/cx.raftscript"
        let found = try Self.raftsh(["explore", "--unsafe", "vote-twice", "--max-term", "1", "--max-log", "0", "--max-in-flight", "4", "--output", path])
        #expect(found.status == 1)
        #expect(found.stdout.contains("violation at depth 8: Election Safety"))
        #expect(try Self.raftsh([path]).status == 1)
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func exploreStopsAtItsMemoryLimitWithAPartialSummary() throws {
        let bounds = ["explore", "--max-term", "2", "--max-log", "1", "--clients", "1", "--max-in-flight", "4"]
        for jobs in ["1", "2"] {
            let stopped = try Self.raftsh(bounds + ["--memory", "1M", "--jobs", jobs])
            #expect(stopped.status == 3)
            #expect(stopped.stderr.hasPrefix("raftsh explore: stopped at the memory limit of 1M: its tables ("))
            #expect(stopped.stderr.hasSuffix("the summary below is partial (raise --memory, or narrow the bounds)\n"))
            #expect(stopped.stdout.hasPrefix("partial: "))
            #expect(stopped.stdout.hasSuffix("no safety violation in the states searched before the memory limit\n"))
        }
        let bad = try Self.raftsh(bounds + ["--memory", "lots"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("Error: The value 'lots' is invalid for '--memory <size>'"))
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func exploreFromAScriptStartsWhereTheScriptEnds() throws {
        let folder = TemporaryFolder()
        let start = folder.write("start.raftscript", "cluster a b c\ntimeout a\ndeliver a->b\ndeliver b->a\nexpect leader a\n")
        let path = folder.path + "/cx.raftscript"
        let found = try Self.raftsh(["explore", "--from", start, "--unsafe", "vote-twice", "--max-term", "1", "--max-log", "0", "--max-in-flight", "4", "--output", path])
        #expect(found.status == 1)
        let script = try String(contentsOfFile: path, encoding: .utf8)
        #expect(script.contains("\nsource \(start)\nset unsafe vote-twice on\n"))
        #expect(found.stdout.contains("were both leader of term 1"))
        let replay = try Self.raftsh([path])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("expect failed: not safe: Election Safety: a and"))

        let big = folder.write("big.raftscript", "cluster 9\n")
        let refused = try Self.raftsh(["explore", "--from", big])
        #expect(refused.status == 2)
        #expect(refused.stderr == "raftsh explore: error: \(big) leaves a cluster of 9 servers; exhaustive search takes 1 to 8\n")
    }
}
