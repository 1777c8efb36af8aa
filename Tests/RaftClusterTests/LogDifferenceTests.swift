import RaftCore
import Testing

@testable import RaftCluster

/// Where a program's step changed a server's log, which the safety checker is
/// told: found in one check when the log was kept or grew, entry by entry otherwise.
@Suite(.timeLimit(.minutes(3)))
struct LogDifferenceTests {
    @Test func theFirstChangedIndexIsFoundWhetherTheLogGrewWasCutOrRewritten() {
        var old = Log()
        for index in 1...4 { old.append(LogEntry(term: 1, value: "x=\(index)")) }
        var grown = old
        grown.append(LogEntry(term: 2, value: "y"))
        var cut = old
        cut.truncate(from: 3)
        var rewritten = cut
        rewritten.append(LogEntry(term: 2, value: "z"))
        let copied = Log((1...4).map { LogEntry(term: 1, value: "x=\($0)") })  // the same entries in storage of its own
        var copiedAndGrown = copied
        copiedAndGrown.append(LogEntry(term: 2))

        #expect(Cluster.firstDifference(old, old) == nil)
        #expect(Cluster.firstDifference(old, grown) == 5)
        #expect(Cluster.firstDifference(old, cut) == 3)
        #expect(Cluster.firstDifference(old, rewritten) == 3)
        #expect(Cluster.firstDifference(old, copied) == nil)
        #expect(Cluster.firstDifference(old, copiedAndGrown) == 5)
        #expect(Cluster.firstDifference(Log(), grown) == 1)
        #expect(Cluster.firstDifference(grown, Log()) == 1)
        #expect(Cluster.firstDifference(Log(), Log()) == nil)
    }
}
