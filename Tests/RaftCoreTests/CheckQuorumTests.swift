import Testing
import RaftCore

/// CheckQuorum (thesis 6.2) and leader stickiness (thesis 4.2.3).
@Suite(.timeLimit(.minutes(3)))
struct CheckQuorumTests {
    static let checkQuorum = Configuration(checkQuorum: true)

    /// s1 leader of term 1 in a five-server cluster, elected by s1, s2 and s3 only.
    func leader() -> Server {
        var server = Server(id: s(1), clusterSize: 5, configuration: Self.checkQuorum)
        _ = server.handle(.electionTimeout)
        _ = server.receive(vote(1), from: s(2))
        _ = server.receive(vote(1), from: s(3))
        #expect(server.role.kind == .leader)
        return server
    }

    func heardFrom(_ server: Server) -> ServerSet? {
        guard case .leader(let leadership) = server.role else { return nil }
        return leadership.heardFrom
    }

    @Test func theVotesThatElectedItCountAtTheFirstCheck() {
        var server = leader()
        #expect(heardFrom(server) == ServerSet([s(1), s(2), s(3)]))
        let output = server.handle(.electionTimeout)
        #expect(server.role.kind == .leader)
        #expect(output.notes.contains(.checkedQuorum(heard: 3, clusterSize: 5, keepsLeading: true)))
        #expect(heardFrom(server) == ServerSet([s(1)]))
    }

    @Test func onlyPeersHeardFromSinceTheLastCheckCount() {
        var server = leader()
        _ = server.handle(.electionTimeout)  // forgets s2 and s3
        _ = server.receive(appendResponse(1, success: true), from: s(4))
        _ = server.receive(appendResponse(1, success: true), from: s(4))
        #expect(heardFrom(server) == ServerSet([s(1), s(4)]))
        _ = server.handle(.electionTimeout)
        #expect(server.role == .follower)
        #expect(server.currentTerm == 1)
    }

    @Test func aMajorityHeardFromKeepsItLeading() {
        var server = leader()
        _ = server.handle(.electionTimeout)
        _ = server.receive(appendResponse(1, success: false), from: s(4))
        _ = server.receive(appendResponse(1, success: true), from: s(5))
        _ = server.handle(.electionTimeout)
        #expect(server.role.kind == .leader)
    }

    @Test func messagesOfOlderTermsDoNotCount() {
        var server = leader()
        _ = server.handle(.electionTimeout)
        _ = server.receive(appendResponse(0, success: false), from: s(4))
        _ = server.receive(requestVote(0, candidate: s(5)), from: s(5))
        #expect(heardFrom(server) == ServerSet([s(1)]))
    }

    @Test func aLeaderElectedWithCheckQuorumOffStartsCountingAtItsFirstCheck() {
        var servers = makeServers(3)
        elect(0, in: &servers)
        servers[0].configuration.checkQuorum = true
        let output = servers[0].handle(.electionTimeout)
        #expect(servers[0].role.kind == .leader)
        #expect(output.notes == [.startedCountingQuorum])
        let second = servers[0].handle(.electionTimeout)
        #expect(servers[0].role == .follower)
        #expect(second.notes.contains(.checkedQuorum(heard: 1, clusterSize: 3, keepsLeading: false)))
    }

    @Test func withCheckQuorumOffNothingIsCounted() {
        var servers = makeServers(3)
        elect(0, in: &servers)
        _ = servers[0].receive(appendResponse(1, success: true), from: s(2))
        #expect(heardFrom(servers[0]) == ServerSet())
    }

    @Test func stickinessIgnoresARequestVoteOfANewerTerm() {
        var servers = makeServers(3, configuration: Self.checkQuorum)
        elect(0, in: &servers)
        let before = servers[1]
        let output = servers[1].handle(.receive(Envelope(from: s(3), to: s(2), message: requestVote(2, candidate: s(3)))))
        #expect(output.messages.isEmpty)
        #expect(servers[1] == before)
        #expect(output.notes == [.ignoredDisruptiveRequest(candidate: s(3), term: 2)])
        // The leader itself is sticky too.
        #expect(servers[0].receive(requestVote(2, candidate: s(3)), from: s(3)).isEmpty)
        #expect(servers[0].role.kind == .leader && servers[0].currentTerm == 1)
    }

    @Test func aTransfersRequestVotePassesStickiness() {
        var servers = makeServers(3, configuration: Self.checkQuorum)
        elect(0, in: &servers)
        let request = Message.requestVote(RequestVote(term: 2, candidate: s(3), lastLogIndex: 0, lastLogTerm: 0, transfer: true))
        let answer = servers[1].receive(request, from: s(3))
        #expect(servers[1].currentTerm == 2)
        #expect(answer.map(\.message) == [vote(2, granted: true)])
    }

    @Test func withoutLeaderContactOrCheckQuorumARequestVoteIsHandled() {
        var fresh = Server(id: s(2), clusterSize: 3, configuration: Self.checkQuorum)
        #expect(fresh.receive(requestVote(2, candidate: s(3)), from: s(3)).map(\.message) == [vote(2, granted: true)])
        var servers = makeServers(3)
        elect(0, in: &servers)
        #expect(servers[1].receive(requestVote(2, candidate: s(3)), from: s(3)).map(\.message) == [vote(2, granted: true)])
    }
}
