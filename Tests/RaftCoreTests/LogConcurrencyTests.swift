import Dispatch
import Testing
import RaftCore

/// Copies of one log on different threads race for the same slot of their
/// shared storage: each must end up with exactly its own entries.
@Suite(.timeLimit(.minutes(3)))
struct LogConcurrencyTests {
    @Test func copiesAppendingOnSeveralThreadsKeepTheirOwnEntries() {
        let threads = 8, appends = 50
        for round in 0..<100 {
            var roomy = Log()
            roomy.reserveCapacity(2 * threads * appends)  // room for every thread: they race for slots
            for _ in 0..<3 { roomy.append(LogEntry(term: 1)) }
            roomy.truncate(from: round % 2 == 0 ? 4 : 3)  // half the rounds start below the storage's end
            let base = roomy
            let sent = base.entries
            // One slot per thread, read after they all finished: no lock (a Mutex
            // would look racy to the thread sanitizer, which does not see its futex).
            nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Log>.allocate(capacity: threads)
            defer { results.deinitialize().deallocate() }
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                var log = base
                for append in 0..<appends {
                    log.append(LogEntry(term: 2, value: "\(thread).\(append)"))
                }
                (results.baseAddress! + thread).initialize(to: log)
            }
            for (thread, log) in results.enumerated() {
                #expect(log.lastIndex == base.lastIndex + appends)
                #expect(Array(log.entries.prefix(base.lastIndex)) == Array(sent))
                #expect(log.entries.dropFirst(base.lastIndex).map(\.value) == (0..<appends).map { "\(thread).\($0)" })
            }
            #expect(sent == base.entries)
        }
    }
}
