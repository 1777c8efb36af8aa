import Foundation
import Testing

/// The built binary's `explore` and `simulate` stopped by a signal part of the
/// way: a partial summary, the shell's status for the signal, within a second.
@Suite(.timeLimit(.minutes(3)))
struct SearchSignalTests {
    struct Stopped {
        var status: Int32
        var stdout: String
        var stderr: String
        /// From the signal to the exit.
        var latency: Duration
    }

    /// Starts raftsh, waits `after`, sends `signal` and waits for it to end.
    static func stop(_ arguments: [String], with signal: Int32, after: Duration = .milliseconds(1500), environment extra: [String: String] = [:]) throws -> Stopped {
        let running = try EndToEndTests.start(arguments, input: FileHandle.nullDevice, environment: extra)
        let process = running.process
        Thread.sleep(forTimeInterval: Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18)
        let sent = ContinuousClock.now
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let latency = ContinuousClock.now - sent
        let (stdout, stderr) = running.outputs()
        return Stopped(status: process.terminationStatus, stdout: stdout, stderr: stderr, latency: latency)
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func sigintStopsALongSearchWithAPartialSummary() throws {
        // Minutes of search with one client value and 8 in flight.
        let result = try Self.stop(["explore", "--clients", "1", "--max-in-flight", "8"], with: SIGINT)
        #expect(result.status == 130)
        #expect(result.latency < .seconds(1))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("partial search, stopped by SIGINT: ") == true)
        #expect(lines.first?.contains(" distinct states") == true)
        #expect(lines.first?.contains("depth ") == true)
        #expect(lines.last?.hasPrefix("no safety violation in the states searched; ") == true)
        #expect(result.stderr.isEmpty)
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func sigtermStopsLongRunsWithAPartialSummary() throws {
        // One run far longer than the test: it must stop inside the run, not after it.
        let result = try Self.stop(["simulate", "--servers", "7", "--steps", "100000000", "--runs", "2", "--jobs", "2"], with: SIGTERM)
        #expect(result.status == 143)
        #expect(result.latency < .seconds(1))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("partial, stopped by SIGTERM: ") == true)
        // Two runs far from done (the second may not have started on a busy machine).
        #expect(lines.first?.contains(" events in 0 runs (and ") == true)
        #expect(lines.first?.contains(" cut short), ") == true)
        #expect(lines.last == "no safety violation in the events run")
    }

    /// A node program's server processes go with raftsh.
    @Test(.enabled(if: EndToEndTests.binary != nil && NodeFixture.python != nil, "needs the built raftsh and python3"))
    func aStoppedSearchLeavesNoNodeProgramBehind() throws {
        let marker = "raftsh-stop-test-\(UUID().uuidString)"
        let command = "exec python3 \(NodeFixture.example) \(marker)"
        let result = try Self.stop(["explore", "--node", command, "--clients", "1"], with: SIGINT, after: .seconds(3))
        #expect(result.status == 130)
        #expect(result.latency < .seconds(1))
        #expect(result.stdout.hasPrefix("partial search, stopped by SIGINT: "))
        Thread.sleep(forTimeInterval: 0.3)
        #expect(NodeFixture.processes(matching: marker).isEmpty)
    }
}

/// The Python example node, found from this file's place in the repository.
enum NodeFixture {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/python/leader_election.py").path

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The ids of processes whose command line contains `text`.
    static func processes(matching text: String) -> [Int32] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.compactMap(Int32.init).filter { id in
            guard let line = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return false }
            return String(decoding: line, as: UTF8.self).contains(text)
        }
    }
}
