import Testing
import RaftCore

/// A crash loses volatile state; currentTerm, votedFor and the log survive (Figure 2).
@Suite(.timeLimit(.minutes(3)))
struct RestartTests {
    @Test(arguments: [RoleKind.follower, .precandidate, .candidate, .leader])
    func restartKeepsExactlyThePersistentState(_ role: RoleKind) throws {
        var servers = makeServers(3)
        elect(0, in: &servers)
        for value in ["a", "b"] { deliverAll(servers[0].handle(.clientRequest(value)).messages, to: &servers) }
        deliverAll(servers[0].handle(.heartbeatTimeout).messages, to: &servers)
        var server: Server
        switch role {
        case .leader: server = servers[0]
        case .follower: server = servers[1]
        case .candidate: server = servers[2]; _ = server.handle(.electionTimeout)
        case .precandidate: server = servers[2]; server.configuration.prevote = true; _ = server.handle(.electionTimeout)
        }
        #expect(server.role.kind == role)
        #expect(server.commitIndex == 2)
        let before = server

        server.restart()
        #expect(server.currentTerm == before.currentTerm)
        #expect(server.votedFor == before.votedFor)
        #expect(server.votedFor != nil)
        #expect(server.log == before.log)
        #expect(server.log.entries.map(\.value) == ["a", "b"])
        #expect(server.role == .follower)
        #expect(server.commitIndex == 0)
        #expect(server.id == before.id && server.clusterSize == before.clusterSize && server.configuration == before.configuration)
    }

    @Test func restartedServerRelearnsCommitFromLeader() {
        var servers = makeServers(3)
        elect(0, in: &servers)
        deliverAll(servers[0].handle(.clientRequest("a")).messages, to: &servers)
        deliverAll(servers[0].handle(.heartbeatTimeout).messages, to: &servers)
        servers[1].restart()
        #expect(servers[1].commitIndex == 0)
        deliverAll(servers[0].handle(.heartbeatTimeout).messages, to: &servers)
        #expect(servers[1].commitIndex == 1)
    }

    @Test func restartedLeaderMustWinANewElection() {
        var servers = makeServers(3)
        elect(0, in: &servers)
        servers[0].restart()
        #expect(servers[0].handle(.clientRequest("x")).messages.isEmpty)
        elect(0, in: &servers)
        #expect(servers[0].role.kind == .leader && servers[0].currentTerm == 2)
    }
}
