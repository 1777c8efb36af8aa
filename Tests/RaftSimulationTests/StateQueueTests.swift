import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// The search's compact bookkeeping: stored states in order, steps in 32 bits.
@Suite(.timeLimit(.minutes(3)))
struct StateQueueTests {
    @Test func statesComeOutInOrderAcrossChunks() throws {
        var cluster = try Cluster(size: 3)
        var trace = Trace(recording: false)
        try cluster.timeout(ServerID(0), trace: &trace)
        var queue = StateQueue()
        var values = ValueTable()
        // Enough states to fill several 1 MiB chunks.
        let count = 60_000
        for index in 0..<count {
            queue.push(.init(index: index, depth: index % 7, submitted: index % 3), state: cluster, values: &values)
        }
        #expect(queue.count == count)
        var restored = try Cluster(size: 3)
        var kept = RestoredServers()
        for index in 0..<count {
            let entry = try #require(queue.pop(into: &restored, values: values, keeping: &kept))
            #expect(entry.index == index && entry.depth == index % 7 && entry.submitted == index % 3)
        }
        #expect(restored.servers == cluster.servers)
        // Each pop refills the same network: what is in flight is the state's, nothing left over.
        #expect(restored.network.messages.map(\.envelope) == cluster.network.messages.map(\.envelope))
        #expect(queue.pop(into: &restored, values: values, keeping: &kept) == nil)
        // Emptied, it takes states again.
        queue.push(.init(index: 1, depth: 1, submitted: 0), state: cluster, values: &values)
        #expect(queue.pop(into: &restored, values: values, keeping: &kept)?.index == 1)
    }

    /// Restoring keeps a server whose stored bytes are those the cluster was
    /// last restored from, and rebuilds every other one: states that differ in
    /// one server, then in all, then back, come out as they went in.
    @Test func restoringKeepsOnlyTheServersStoredTheSame() throws {
        var trace = Trace(recording: false)
        var states = [try Cluster(size: 3)]
        for step in 0..<6 {
            var next = states[states.count - 1]
            switch step {
            case 3: try next.crash(ServerID(1), trace: &trace)
            case 5: try next.restart(ServerID(1))
            default: try next.timeout(ServerID(step == 4 ? 0 : step), trace: &trace)
            }
            states.append(next)
        }
        states += [states[0], states[6], states[2]]
        var queue = StateQueue()
        var values = ValueTable()
        for (index, state) in states.enumerated() {
            queue.push(.init(index: index, depth: 0, submitted: 0), state: state, values: &values)
        }
        var restored = try Cluster(size: 3)
        var kept = RestoredServers()
        for state in states {
            _ = try #require(queue.pop(into: &restored, values: values, keeping: &kept))
            #expect(restored.servers == state.servers)
            #expect(restored.isUp == state.isUp)
        }
    }

    @Test func stepsSurviveTheirCode() {
        let steps: [Step] = [
            .timeout(ServerID(7)), .heartbeat(ServerID(0)), .submit(ServerID(2), "v4"),
            .deliver(from: ServerID(1), to: ServerID(6), position: 5), .drop(from: ServerID(7), to: ServerID(0), position: 0),
            .duplicate(from: ServerID(3), to: ServerID(4), position: Step.maxPosition), .crash(ServerID(5)), .restart(ServerID(1)),
        ]
        for step in steps {
            #expect(Step(code: step.code, submitted: 3) == step)
        }
    }
}

/// The visited table and the path records the search keeps per state.
@Suite(.timeLimit(.minutes(3)))
struct SearchRecordTests {
    @Test func fingerprintSetTellsNewFromSeen() {
        var set = FingerprintSet()
        var random = SeededGenerator(seed: 42)
        var inserted: [UInt64] = [0]
        let zeroFirst = set.insert(0), zeroAgain = set.insert(0)
        #expect(zeroFirst && !zeroAgain)
        var allNew = true
        for _ in 0..<100_000 {
            let value = random.next()
            allNew = set.insert(value) && allNew
            inserted.append(value)
        }
        #expect(allNew)
        let again = inserted.map { set.insert($0) }
        #expect(!again.contains(true))
        #expect(set.count == 100_001)
    }

    @Test func originsGiveThePathBackToTheStart() {
        var origins = Origins()
        origins.append(parent: nil, code: 0)
        // Odd states come from the one before, even ones from two before, across chunk boundaries.
        for index in 1..<200_000 {
            origins.append(parent: index % 2 == 1 ? index - 1 : index - 2, code: UInt32(index))
        }
        #expect(origins.count == 200_000)
        #expect(origins.path(to: 0) == [])
        #expect(origins.path(to: 5) == [2, 4, 5])
        #expect(origins.path(to: 199_999).count == 100_000)
    }
}

