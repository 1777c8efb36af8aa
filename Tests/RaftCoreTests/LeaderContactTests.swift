import Testing
import RaftCore

/// Leader contact (raftscript.md section 10): set by AppendEntries of the
/// current term, cleared by a timeout, a restart and a newer term.
@Suite(.timeLimit(.minutes(3)))
struct LeaderContactTests {
    static let checkQuorum = Configuration(checkQuorum: true)

    func follower(heard: Bool, configuration: Configuration = checkQuorum) -> Server {
        var server = Server(id: s(2), clusterSize: 3, configuration: configuration)
        _ = server.receive(appendEntries(1, leader: s(1), prevLogIndex: 3), from: s(1))  // refused: its log is empty
        #expect(server.heardFromLeader == heard)
        return server
    }

    @Test func appendEntriesOfItsTermSetsItWhetherOrNotTheLogMatched() {
        _ = follower(heard: true)
    }

    @Test func itIsKeptOnlyWhilePreVoteOrCheckQuorumIsOn() {
        _ = follower(heard: false, configuration: Configuration())
        _ = follower(heard: true, configuration: Configuration(prevote: true))
    }

    @Test func aTimeoutClearsIt() {
        var server = follower(heard: true)
        _ = server.handle(.electionTimeout)
        #expect(!server.heardFromLeader)
    }

    @Test func aRestartClearsIt() {
        var server = follower(heard: true)
        server.restart()
        #expect(!server.heardFromLeader)
    }

    @Test func aNewerTermClearsIt() throws {
        var server = follower(heard: true)
        _ = server.receive(vote(2, granted: false), from: s(3))
        #expect(server.currentTerm == 2 && !server.heardFromLeader)
        var set = follower(heard: true)
        try set.setCurrentTerm(5)
        #expect(!set.heardFromLeader)
    }

    @Test func aLeaderAlwaysHasIt() {
        var servers = makeServers(3, configuration: Self.checkQuorum)
        elect(0, in: &servers)
        #expect(!servers[0].heardFromLeader)
        #expect(servers[0].hasLeaderContact)
        #expect(servers[1].hasLeaderContact)
    }
}
