import RaftCore
import Testing

@testable import RaftCluster
@testable import RaftSimulation

/// Stored states come back exactly, and fingerprints identify states up to renaming.
@Suite(.timeLimit(.minutes(3)))
struct StoredStateTests {
    /// A cluster with a bit of everything stored: a leader with entries and
    /// per-peer progress, a candidate's votes, a crashed server, AppendEntries
    /// with entries in flight (one link holding two messages), committed history.
    /// The roles go to the servers named, so a renamed copy is one call away.
    static func busyCluster(leader: String = "s1", crashed: String = "s4", candidate: String = "s3") throws -> Cluster {
        var cluster = Cluster.fresh(4)
        var trace = quiet
        try cluster.elect(leader)
        _ = try cluster.submit("x=1", to: cluster.id(leader), trace: &trace)
        try cluster.settle(maxDeliveries: 100, trace: &trace)
        try cluster.heartbeat(cluster.id(leader), trace: &trace)
        _ = try cluster.submit("y=2", to: cluster.id(leader), trace: &trace)
        try cluster.crash(cluster.id(crashed), trace: &trace)
        try cluster.timeout(cluster.id(candidate), trace: &trace)
        return cluster
    }

    @Test func aStoredStateComesBackExactly() throws {
        let cluster = try Self.busyCluster()
        #expect(cluster.network.count(from: cluster.id("s1"), to: cluster.id("s2")) == 2)
        #expect(cluster.safety.committedCount == 1)
        var values = ValueTable()
        var writer = StateWriter()
        cluster.write(to: &writer, values: &values)
        writer.write(7)  // whatever follows a state is read after it

        var restored = Cluster.fresh(4)
        var reader = StateReader(writer.bytes)
        restored.restore(from: &reader, values: values)
        #expect(reader.readInt() == 7)
        #expect(restored.servers == cluster.servers)
        #expect(restored.isUp == cluster.isUp)
        #expect(restored.network.messages.map(\.envelope) == cluster.network.messages.map(\.envelope))
        #expect(restored.safety == cluster.safety)
        // Section 10 added a byte per server (leader contact), and a leader's
        // heard-from set and transfer: 122 bytes for this state.
        #expect(writer.bytes.count < 125)
    }

    @Test func renamedStatesShareAFingerprint() throws {
        // s1 leads, s3 campaigns and s4 is down, against s2 leading, s4 campaigning and s3 down: one state renamed.
        let renamed = try Self.busyCluster(leader: "s2", crashed: "s3", candidate: "s4")
        let original = try Self.busyCluster()
        let a = original.fingerprint(symmetry: true), b = renamed.fingerprint(symmetry: true)
        #expect(a.canonical == b.canonical)
        #expect(a.orbit == b.orbit)
        // Leader, candidate and crashed server are told apart; the one remaining follower is fixed.
        #expect(a.orbit == 24)
        #expect(original.fingerprint(symmetry: false).canonical != renamed.fingerprint(symmetry: false).canonical)
    }

    @Test func symmetricServersCountOnce() throws {
        let fresh = Cluster.fresh(3)
        #expect(fresh.fingerprint(symmetry: true).orbit == 1)
        var one = fresh, other = fresh
        var trace = quiet
        try one.timeout(one.id("s1"), trace: &trace)
        try other.timeout(other.id("s3"), trace: &trace)
        #expect(one.fingerprint(symmetry: true).canonical == other.fingerprint(symmetry: true).canonical)
        #expect(one.fingerprint(symmetry: true).orbit == 3)
        // A different state: s1 campaigning with a vote already granted.
        try one.deliver(from: one.id("s1"), to: one.id("s2"), count: 1, trace: &trace)
        #expect(one.fingerprint(symmetry: true).canonical != other.fingerprint(symmetry: true).canonical)
        #expect(one.fingerprint(symmetry: true).orbit == 6)
    }

    @Test func whatTheCheckerRemembersIsNotPartOfTheHistory() throws {
        var cluster = Cluster.fresh(3)
        var trace = quiet
        try cluster.elect("s1")
        _ = try cluster.submit("a", to: cluster.id("s1"), trace: &trace)
        try cluster.settle(maxDeliveries: 100, trace: &trace)
        try cluster.crash(cluster.id("s1"), trace: &trace)
        try cluster.elect("s2")  // after a commit: s2's log is checked against it
        #expect(cluster.safety.committedCount == 1 && cluster.safety.isSafe)
        var values = ValueTable()
        var writer = StateWriter()
        cluster.write(to: &writer, values: &values)
        var restored = Cluster.fresh(3)
        var reader = StateReader(writer.bytes)
        restored.restore(from: &reader, values: values)
        #expect(restored.safety == cluster.safety)
        #expect(restored.safety.hashValue == cluster.safety.hashValue)
    }
}
