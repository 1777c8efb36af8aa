import Foundation
import Testing

@testable import RaftScript

/// Every number has a range, refused outside it with the range named (issue 22, item 2).
@Suite(.timeLimit(.minutes(3)))
struct NumberRangeTests {
    static let huge = "9223372036854775807"

    /// The scripts that trapped on overflow (exit 132) before the ranges: each
    /// now stops at its first line with an error naming the range.
    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"), arguments: [
        ("set s1 term \(huge)\ntimeout s1\n", "1: error: the term must be from 0 to 1000000000000, not `\(huge)`"),
        ("set latency \(huge) \(huge)\ntick\ntimeout s1\n", "1: error: the lowest latency must be from 1 to 1000000, not `\(huge)`"),
        ("tick\nset election-timeout \(huge) \(huge)\ntimeout s1\n", "2: error: the lowest election timeout must be from 1 to 1000000, not `\(huge)`"),
        ("set heartbeat-interval \(huge)\ntimeout s1\nsettle\ntick 5\n", "1: error: the heartbeat interval must be from 1 to 1000000, not `\(huge)`"),
        ("tick 1000000000\n", "1: error: the number of ticks must be from 0 to 100000, not `1000000000`"),
        ("set s1 log 1 99999999999999999999999\n", "1: error: a term must be from 0 to 1000000000000, not `99999999999999999999999`"),
        ("tick until leader max 2147483648\n", "1: error: the most ticks must be from 0 to 100000, not `2147483648`"),
        ("settle 10000001\n", "1: error: the most deliveries must be from 0 to 10000000, not `10000001`"),
        ("set seed -1\n", "1: error: expected a whole number from 0 to 18446744073709551615 for the seed, found `-1`"),
    ])
    func bigNumbersAreRefusedNotTrapped(_ script: String, _ message: String) throws {
        let folder = TemporaryFolder()
        let path = folder.write("big.raftscript", script)
        let result = try EndToEndTests.raftsh([path])
        #expect(result.status == 2)
        #expect(result.stderr == "\(path):\(message)\n")
        let explore = try EndToEndTests.raftsh(["explore", "--from", path])
        #expect(explore.status == 2)
        #expect(explore.stderr == "\(path):\(message)\n")
    }

    @Test(arguments: [
        "set s1 term 1000000000000", "set s1 log 1000000000000", "set seed 18446744073709551615",
        "set election-timeout 1000000 1000000", "set latency 1 1000000", "set heartbeat-interval 1000000",
        "expect s1 term 1000000000000", "tick 0", "settle 0",
    ])
    func theEdgesOfEachRangeAreAccepted(_ line: String) throws {
        #expect(try Parser.parse(line) != nil)
    }

    /// The highest term and the longest timers, then time moves: nothing overflows.
    @Test func theLargestValuesRunWithoutTrapping() {
        let run = Run("""
            set s1 term 1000000000000
            set latency 1000000 1000000
            set election-timeout 1000000 1000000
            set heartbeat-interval 1000000
            timeout s1
            tick 100000
            tick 100000
            expect safe
            """)
        #expect(run.diagnostics.isEmpty)
        #expect(run.summary.exitStatus == 0)
        #expect(run.interpreter.cluster.now == 200_000)
        #expect(run.interpreter.cluster.servers[0].currentTerm > 1_000_000_000_000)
    }

    @Test func helpListsTheRanges() throws {
        #expect(try Help.text(for: nil).contains("Every number has a range (`help numbers`)."))
        let help = try Help.text(for: "numbers").joined(separator: "\n")
        for line in NumberRange.summary { #expect(help.contains(line)) }
    }
}
