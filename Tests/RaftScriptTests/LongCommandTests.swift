import Synchronization
import Testing

@testable import RaftScript

/// Commands that take long are bounded and say how they are going (issue 22, item 9).
@Suite(.timeLimit(.minutes(3)))
struct LongCommandTests {
    @Test(arguments: ["tick 100001", "tick until leader max 100001", "tick 9223372036854775807", "tick until leader max 2147483648"])
    func tickIsBounded(_ line: String) {
        let run = Run(line)
        #expect(run.summary.exitStatus == 2)
        #expect(run.diagnostics.first?.contains("must be from 0 to 100000,") == true)
    }

    @Test func aCommandLongerThanASecondReportsProgressAndClearsIt() throws {
        let reports = Mutex<[String]>([])
        var interpreter = try Interpreter()
        interpreter.progress = { text in reports.withLock { $0.append(text) } }
        _ = try interpreter.run(.partition([[.named("s1")], [.named("s2")], [.named("s3")], [.named("s4")]]))
        let clock = ContinuousClock()
        let start = clock.now
        var ticks = 0
        // Whole seconds of ticks in a cluster that can never elect a leader.
        while clock.now - start < .milliseconds(1500) {
            _ = try interpreter.run(.tick(10_000))
            ticks += 10_000
        }
        let single = reports.withLock { $0 }
        #expect(single.isEmpty, "each tick command was shorter than a second")
        #expect(throws: CommandError.self) { try interpreter.run(.tickUntilLeader(max: ticks)) }
        let shown = reports.withLock { $0 }
        #expect(shown.first?.hasPrefix("tick until leader: ") == true)
        #expect(shown.last == "")
    }
}
