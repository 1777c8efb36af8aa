import Testing
import RaftCore

/// Figure 2, "Rules for all servers" and the stale-term rules of section 3a.
@Suite(.timeLimit(.minutes(3)))
struct TermRuleTests {
    /// One message of each kind, all of term 9 and from s2.
    static let newerMessages: [Message] = [
        requestVote(9, candidate: s(2)),  // a log older than the receiver's: refused, so votedFor stays cleared
        vote(9, granted: true),
        appendEntries(9, leader: s(2), prevLogIndex: 5),  // a prevLogIndex past the receiver's log: refused
        appendResponse(9, success: false),
    ]

    /// A 3-server member of term 3 in `role`, with log [1].
    static func member(_ role: RoleKind) -> Server {
        var servers = makeServers(3)
        try! servers[0].setLog(Log(terms: [1]))
        try! servers[0].setCurrentTerm(2)
        switch role {
        case .follower: try! servers[0].setCurrentTerm(3); try! servers[0].setVotedFor(s(3))
        case .candidate: _ = servers[0].handle(.electionTimeout)
        case .precandidate:
            try! servers[0].setCurrentTerm(3); try! servers[0].setVotedFor(s(3))
            servers[0].configuration.prevote = true
            _ = servers[0].handle(.electionTimeout)
        case .leader: _ = servers[0].handle(.electionTimeout); _ = servers[0].receive(vote(3), from: s(3))
        }
        #expect(servers[0].role.kind == role && servers[0].currentTerm == 3 && servers[0].votedFor != nil)
        return servers[0]
    }

    @Test(arguments: [RoleKind.leader, .candidate, .precandidate], newerMessages)
    func newerTermDemotes(_ role: RoleKind, _ message: Message) {
        var server = Self.member(role)
        let output = server.handle(.receive(Envelope(from: s(2), to: s(1), message: message)))
        #expect(server.role == .follower)
        #expect(server.currentTerm == 9)
        #expect(server.votedFor == nil)
        #expect(output.notes.first == .steppedDown(from: role, term: 9, sender: s(2)))
        // A leader stepping down starts its election timer again, as does anyone
        // hearing AppendEntries from a leader of its term; nothing else here does.
        var fromLeader = false
        if case .appendEntries = message { fromLeader = true }
        #expect(output.resetsElectionTimer == (role == .leader || fromLeader))
        // Requests are still answered, with the new term; responses are not.
        if message.isRequest {
            #expect(output.messages.count == 1 && output.messages[0].to == s(2) && output.messages[0].message.term == 9)
        } else {
            #expect(output.messages.isEmpty)
        }
    }

    @Test func newerTermClearsVoteBeforeHandlingRequest() {
        var server = Self.member(.candidate)  // voted for itself in term 3
        let reply = server.receive(requestVote(4, candidate: s(2), lastLogIndex: 1, lastLogTerm: 1), from: s(2))
        #expect(reply.map(\.message) == [vote(4, granted: true)])
        #expect(server.votedFor == s(2))
        #expect(server.role == .follower)
    }

    @Test func newerTermAppendEntriesIsHandledAfterDemotion() {
        var server = Self.member(.leader)
        let reply = server.receive(appendEntries(5, leader: s(3), prevLogIndex: 1, prevLogTerm: 1, entries: [5]), from: s(3))
        #expect(reply.map(\.message) == [appendResponse(5, success: true, matchIndex: 2)])
        #expect(server.log.terms == [1, 5])
        #expect(server.role == .follower)
    }

    @Test func newerTermMakesFollowerAdoptTerm() {
        var server = Self.member(.follower)
        #expect(server.receive(vote(7, granted: false), from: s(2)).isEmpty)
        #expect(server.currentTerm == 7 && server.votedFor == nil && server.role == .follower)
    }

    @Test(arguments: [RoleKind.follower, .candidate, .leader])
    func staleRequestVoteRefusedWithReceiverTerm(_ role: RoleKind) {
        var server = Self.member(role)
        let before = server
        let reply = server.receive(requestVote(2, candidate: s(2), lastLogIndex: 5, lastLogTerm: 2), from: s(2))
        #expect(reply == [Envelope(from: s(1), to: s(2), message: vote(3, granted: false))])
        #expect(server == before)
    }

    @Test func staleRequestVoteRefusedByFollowerThatHasNotVoted() throws {
        var server = Server(id: s(1), clusterSize: 3)
        try server.setCurrentTerm(3)
        let reply = server.handle(.receive(Envelope(from: s(2), to: s(1), message: requestVote(2, candidate: s(2), lastLogIndex: 5, lastLogTerm: 2))))
        #expect(reply.messages.map(\.message) == [vote(3, granted: false)])
        #expect(reply.notes == [.refusedVote(candidate: s(2), reason: .staleTerm(voterTerm: 3))])
        #expect(server.votedFor == nil)
        #expect(!reply.resetsElectionTimer)
    }

    @Test(arguments: [RoleKind.follower, .candidate, .leader])
    func staleAppendEntriesRefusedWithReceiverTerm(_ role: RoleKind) {
        var server = Self.member(role)
        let before = server
        let output = server.handle(.receive(Envelope(from: s(2), to: s(1), message: appendEntries(2, leader: s(2), prevLogIndex: 1, prevLogTerm: 1, entries: [2]))))
        #expect(output.messages == [Envelope(from: s(1), to: s(2), message: appendResponse(3, success: false, matchIndex: 0))])
        #expect(!output.resetsElectionTimer)
        #expect(server == before)
    }

    @Test func staleVoteIsNotCounted() {
        var server = Self.member(.candidate)
        #expect(server.receive(vote(2, granted: true), from: s(2)).isEmpty)
        #expect(server.role == .candidate(votes: ServerSet([s(1)])))
    }

    @Test func staleAppendResponsesAreIgnored() throws {
        var server = Self.member(.leader)
        let before = server
        #expect(server.receive(appendResponse(2, success: false), from: s(2)).isEmpty)
        #expect(server.receive(appendResponse(2, success: true, matchIndex: 1), from: s(2)).isEmpty)
        #expect(server == before)
        #expect(try #require(server.leadership).nextIndex[1] == 2)
    }

    @Test func followerIgnoresResponsesOfItsTerm() {
        var server = Self.member(.follower)
        let before = server
        #expect(server.receive(vote(3), from: s(2)).isEmpty)
        #expect(server.receive(appendResponse(3, success: false), from: s(2)).isEmpty)
        #expect(server == before)
    }
}
