import CAffinity
import Foundation
import Testing

/// A program shares a core with the thread that starts it; programs started
/// one after the other (the jobs of `simulate --jobs 2`, which start theirs at
/// the same moment) take the cores in turn rather than all sharing one.
@Suite(.timeLimit(.minutes(3)))
struct CoreSharingTests {
    @Test func consecutiveProgramsAreGivenEveryCoreInTurn() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        try #require(cores >= 2, "needs two cores")
        let round = (0..<UInt32(cores)).map { raftsh_allowed_cpu($0) }
        #expect(!round.contains(-1))
        #expect(Set(round).count == cores, "cores in turn: \(round)")
        #expect(raftsh_allowed_cpu(UInt32(cores)) == round[0], "the turn starts again")
    }

    @Test func aThreadIsGivenACore() throws {
        let kept = Kept()
        let thread = Thread {
            let cpu = raftsh_stay_on_next_cpu()
            kept.set(cpu)
        }
        thread.start()
        let deadline = Date().addingTimeInterval(30)
        while kept.value == nil, Date() < deadline { usleep(1000) }
        let given = try #require(kept.value)
        #expect((0..<Int32(ProcessInfo.processInfo.activeProcessorCount)).contains(given))
    }
}

private final class Kept: @unchecked Sendable {
    private let lock = NSLock()
    private var given: Int32?
    func set(_ cpu: Int32) { lock.withLock { given = cpu } }
    var value: Int32? { lock.withLock { given } }
}
