import Foundation
import Testing

/// Off a terminal, `explore` and `simulate` write a line to standard error every
/// interval (ten seconds, or `RAFTSH_PROGRESS_SECONDS`), with the memory held.
@Suite(.timeLimit(.minutes(3)))
struct SearchProgressTests {
    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func aLongSearchWritesAProgressLineEachInterval() throws {
        let result = try SearchSignalTests.stop(
            ["explore", "--clients", "1", "--max-in-flight", "8", "--jobs", "1"], with: SIGINT, after: .milliseconds(2500),
            environment: ["RAFTSH_PROGRESS_SECONDS": "0.5"]
        )
        #expect(result.status == 130)
        let lines = result.stderr.split(separator: "\n")
        // About one line every half second for 2.5 s: on a busy machine fewer, never none.
        #expect((2...6).contains(lines.count))
        for line in lines {
            #expect(line.hasPrefix("raftsh explore: "))
            #expect(line.contains(" distinct states, "))
            #expect(line.contains(", queue "))
            #expect(line.wholeMatch(of: /.*, memory [1-9][0-9]* MiB/) != nil)
        }
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("\u{1B}"))
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func simulateWritesProgressLinesAsRunsFinish() throws {
        let fast = try EndToEndTests.raftsh(["simulate", "--runs", "3", "--steps", "1000"])
        #expect(fast.status == 0)
        #expect(fast.stderr.isEmpty)  // done before the first interval: no line at all

        let result = try SearchSignalTests.stop(
            ["simulate", "--runs", "100000", "--steps", "2000"], with: SIGINT, after: .milliseconds(2000),
            environment: ["RAFTSH_PROGRESS_SECONDS": "0.4"]
        )
        #expect(result.status == 130)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count >= 2)
        for line in lines {
            #expect(line.wholeMatch(of: /raftsh simulate: [0-9.]+ s: run [0-9]+\/100000, [0-9]+ events, .*, memory [1-9][0-9]* MiB/) != nil)
        }
    }
}
