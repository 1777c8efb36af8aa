import Testing
import RaftCore

/// Role transitions of section 5.2 and the messages each one emits.
@Suite(.timeLimit(.minutes(3)))
struct ElectionTests {
    @Test func followerTimeoutStartsElection() throws {
        var server = Server(id: s(3), clusterSize: 5)
        try server.setLog(Log(terms: [1, 1, 2]))
        try server.setCurrentTerm(4)
        let output = server.handle(.electionTimeout)

        #expect(server.role == .candidate(votes: ServerSet([s(3)])))
        #expect(server.currentTerm == 5)
        #expect(server.votedFor == s(3))
        #expect(output.resetsElectionTimer)
        let request = requestVote(5, candidate: s(3), lastLogIndex: 3, lastLogTerm: 2)
        #expect(Array(output.messages) == [s(1), s(2), s(4), s(5)].map { Envelope(from: s(3), to: $0, message: request) })
    }

    /// Peers in cluster order, skipping the server itself, whatever its position;
    /// `show` and the narration list them, and broadcasts send in this order.
    @Test func peersAreEveryOtherServerInClusterOrder() {
        for own in 1...4 {
            let server = Server(id: s(own), clusterSize: 4)
            #expect(Array(server.peers) == (1...4).filter { $0 != own }.map(s))
        }
        #expect(Array(Server(id: s(1), clusterSize: 1).peers).isEmpty)
    }

    @Test func candidateTimeoutStartsNewElection() {
        var server = Server(id: s(1), clusterSize: 3)
        _ = server.handle(.electionTimeout)
        _ = server.receive(vote(1, granted: false), from: s(2))
        let output = server.handle(.electionTimeout)

        #expect(server.currentTerm == 2)
        #expect(server.role == .candidate(votes: ServerSet([s(1)])))
        #expect(output.messages.map(\.message) == [requestVote(2, candidate: s(1)), requestVote(2, candidate: s(1))])
        #expect(output.messages.map(\.to) == [s(2), s(3)])
    }

    @Test func leaderIgnoresElectionTimeout() {
        var servers = makeServers(3)
        elect(0, in: &servers)
        let before = servers[0]
        let output = servers[0].handle(.electionTimeout)
        #expect(output.messages.isEmpty)
        #expect(servers[0] == before)
    }

    @Test func oneServerClusterElectsItselfAtOnce() {
        var server = Server(id: s(1), clusterSize: 1)
        let output = server.handle(.electionTimeout)
        #expect(server.role.kind == .leader)
        #expect(server.currentTerm == 1)
        #expect(server.votedFor == s(1))
        #expect(output.messages.isEmpty)
    }

    @Test func minorityOfVotesKeepsCandidate() {
        var server = Server(id: s(1), clusterSize: 5)
        _ = server.handle(.electionTimeout)
        #expect(server.receive(vote(1), from: s(2)).isEmpty)
        #expect(server.receive(vote(1, granted: false), from: s(3)).isEmpty)
        #expect(server.receive(vote(1), from: s(2)).isEmpty)  // a duplicated grant counts once
        #expect(server.role == .candidate(votes: ServerSet([s(1), s(2)])))
    }

    @Test func majorityMakesLeaderThatSendsAppendEntriesToEveryPeer() throws {
        var server = Server(id: s(2), clusterSize: 5)
        try server.setLog(Log(terms: [1, 3, 3]))
        try server.setCommitIndex(1)
        _ = server.handle(.electionTimeout)
        #expect(server.receive(vote(4), from: s(4)).isEmpty)
        let sent = server.receive(vote(4), from: s(1))

        let leadership = try #require(server.leadership)
        #expect(server.currentTerm == 4)
        #expect(leadership.nextIndex.enumerated().allSatisfy { $0.offset == 1 || $0.element == 4 })
        #expect(leadership.matchIndex == [0, 0, 0, 0, 0])
        #expect(leadership.votes == ServerSet([s(1), s(2), s(4)]))
        let heartbeat = appendEntries(4, leader: s(2), prevLogIndex: 3, prevLogTerm: 3, leaderCommit: 1)
        #expect(sent == [s(1), s(3), s(4), s(5)].map { Envelope(from: s(2), to: $0, message: heartbeat) })
        #expect(server.log.terms == [1, 3, 3])
    }

    @Test func lateVotesAreCountedByTheLeader() {
        var server = Server(id: s(1), clusterSize: 5)
        _ = server.handle(.electionTimeout)
        _ = server.receive(vote(1), from: s(2))
        _ = server.receive(vote(1), from: s(3))
        #expect(server.receive(vote(1), from: s(5)).isEmpty)
        let leader = server
        #expect(server.receive(vote(1, granted: false), from: s(4)).isEmpty)
        #expect(server == leader)
        #expect(server.role.votes == ServerSet([s(1), s(2), s(3), s(5)]))
    }

    @Test func noopLeaderAppendsEmptyEntryAndSendsIt() throws {
        var server = Server(id: s(1), clusterSize: 3, configuration: Configuration(noop: true))
        try server.setLog(Log(terms: [1, 2]))
        _ = server.handle(.electionTimeout)
        let output = server.handle(.receive(Envelope(from: s(3), to: s(1), message: vote(3))))

        #expect(server.log.entries == [LogEntry(term: 1), LogEntry(term: 2), LogEntry(term: 3, value: "")])
        #expect(server.leadership?.nextIndex == [3, 3, 3])
        #expect(output.logChangedFrom == 3)
        let carrying = appendEntries(3, leader: s(1), prevLogIndex: 2, prevLogTerm: 2, entries: [3])
        #expect(Array(output.messages) == [s(2), s(3)].map { Envelope(from: s(1), to: $0, message: carrying) })
        #expect(server.commitIndex == 0)
    }

    @Test func withoutNoopTheLeaderLogIsUnchanged() {
        var servers = makeServers(3)
        let sent = elect(0, in: &servers)
        #expect(servers[0].log.lastIndex == 0)
        #expect(sent.allSatisfy { if case .appendEntries(let m) = $0.message { m.entries.isEmpty } else { false } })
    }

    @Test func oneServerNoopCommitsAtOnce() {
        var server = Server(id: s(1), clusterSize: 1, configuration: Configuration(noop: true))
        _ = server.handle(.electionTimeout)
        #expect(server.log.terms == [1])
        #expect(server.commitIndex == 1)
    }

    @Test func oneServerLeaderCommitsAtOnceOnSubmit() {
        var server = Server(id: s(1), clusterSize: 1)
        _ = server.handle(.electionTimeout)
        let output = server.handle(.clientRequest("x"))
        #expect(server.log.entries == [LogEntry(term: 1, value: "x")])
        #expect(server.commitIndex == 1)
        #expect(output.messages.isEmpty)
    }

    @Test func leaderSubmitAppendsAndSendsToEveryPeer() {
        var servers = makeServers(3)
        elect(1, in: &servers)
        let output = servers[1].handle(.clientRequest("x"))
        #expect(servers[1].log.entries == [LogEntry(term: 1, value: "x")])
        #expect(output.logChangedFrom == 1)
        #expect(output.messages.map(\.to) == [s(1), s(3)])
        let expected = AppendEntries(term: 1, leader: s(2), prevLogIndex: 0, prevLogTerm: 0,
                                     entries: [LogEntry(term: 1, value: "x")], leaderCommit: 0)
        #expect(output.messages.allSatisfy { $0.message == .appendEntries(expected) })
        #expect(servers[1].commitIndex == 0)
    }

    @Test func nonLeaderRefusesClientRequest() {
        var server = Server(id: s(1), clusterSize: 3)
        let output = server.handle(.clientRequest("x"))
        #expect(server.log.lastIndex == 0)
        #expect(output.messages.isEmpty)
        #expect(output.notes == [.notLeader])
    }

    @Test func heartbeatOnlyFromLeader() {
        var servers = makeServers(3)
        #expect(servers[0].handle(.heartbeatTimeout).messages.isEmpty)
        elect(0, in: &servers)
        let sent = Array(servers[0].handle(.heartbeatTimeout).messages)
        #expect(sent == [s(2), s(3)].map { Envelope(from: s(1), to: $0, message: appendEntries(1, leader: s(1))) })
    }

    @Test func candidateYieldsToAppendEntriesOfItsTermAndHandlesIt() throws {
        var server = Server(id: s(2), clusterSize: 3)
        _ = server.handle(.electionTimeout)
        let output = server.handle(.receive(Envelope(from: s(1), to: s(2), message: appendEntries(1, leader: s(1), entries: [1]))))
        #expect(server.role == .follower)
        #expect(server.currentTerm == 1)
        #expect(server.votedFor == s(2))  // same term: the vote stands
        #expect(server.log.terms == [1])
        #expect(output.resetsElectionTimer)
        #expect(output.messages == [Envelope(from: s(2), to: s(1), message: appendResponse(1, success: true, matchIndex: 1))])
    }

    @Test func fullElectionThroughMessages() {
        var servers = makeServers(5)
        elect(2, in: &servers)
        #expect(servers.map(\.role.kind) == [.follower, .follower, .leader, .follower, .follower])
        #expect(servers.allSatisfy { $0.currentTerm == 1 && $0.votedFor == s(3) })
        #expect(servers[2].leadership?.matchIndex == [0, 0, 0, 0, 0])
    }
}
