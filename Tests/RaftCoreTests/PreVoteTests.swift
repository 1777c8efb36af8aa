import Testing
import RaftCore

/// Pre-Vote (thesis 9.6; raftscript.md section 10).
@Suite(.timeLimit(.minutes(3)))
struct PreVoteTests {
    static let prevote = Configuration(prevote: true)

    func preVote(_ term: Int, candidate: ServerID, lastLogIndex: Int = 0, lastLogTerm: Int = 0) -> Message {
        .preVote(PreVote(term: term, candidate: candidate, lastLogIndex: lastLogIndex, lastLogTerm: lastLogTerm))
    }

    func preVoteResponse(_ term: Int, granted: Bool) -> Message {
        .preVoteResponse(PreVoteResponse(term: term, granted: granted))
    }

    @Test func timeoutMakesAPrecandidateThatKeepsTermAndVote() throws {
        var server = Server(id: s(2), clusterSize: 3, configuration: Self.prevote)
        try server.setLog(Log(terms: [1, 2]))
        try server.setCurrentTerm(3)
        try server.setVotedFor(s(3))
        let output = server.handle(.electionTimeout)
        #expect(server.role == .precandidate(votes: ServerSet([s(2)])))
        #expect(server.currentTerm == 3)
        #expect(server.votedFor == s(3))
        #expect(output.resetsElectionTimer)
        let request = preVote(4, candidate: s(2), lastLogIndex: 2, lastLogTerm: 2)
        #expect(Array(output.messages) == [s(1), s(3)].map { Envelope(from: s(2), to: $0, message: request) })
    }

    @Test func aNewRoundForgetsEarlierPreVotes() {
        var server = Server(id: s(1), clusterSize: 5, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        _ = server.receive(preVoteResponse(1, granted: true), from: s(2))
        #expect(server.role.votes?.count == 2)
        _ = server.handle(.electionTimeout)
        #expect(server.role == .precandidate(votes: ServerSet([s(1)])))
    }

    @Test func aPreVoteOfAHigherTermDoesNotDemoteItsReceiver() {
        var servers = makeServers(3, configuration: Self.prevote)
        elect(0, in: &servers)
        let leaderBefore = servers[0]
        let answer = servers[0].receive(preVote(5, candidate: s(3)), from: s(3))
        #expect(servers[0].role.kind == .leader)
        #expect(servers[0].currentTerm == 1)
        #expect(servers[0] == leaderBefore)
        // A LEADER has heard from a leader: it refuses, with its own term.
        #expect(answer.map(\.message) == [preVoteResponse(1, granted: false)])

        var follower = Server(id: s(2), clusterSize: 3, configuration: Self.prevote)
        let output = follower.handle(.receive(Envelope(from: s(3), to: s(2), message: preVote(5, candidate: s(3)))))
        #expect(follower.currentTerm == 0 && follower.votedFor == nil && follower.role == .follower)
        #expect(!output.resetsElectionTimer)
        #expect(output.messages.map(\.message) == [preVoteResponse(5, granted: true)])
    }

    @Test func aPreVoteIsGrantedWhateverTheVoteButNotAfterHearingFromALeader() throws {
        var server = Server(id: s(2), clusterSize: 3, configuration: Self.prevote)
        try server.setCurrentTerm(2)
        try server.setVotedFor(s(1))
        #expect(server.receive(preVote(3, candidate: s(3)), from: s(3)).map(\.message) == [preVoteResponse(3, granted: true)])
        _ = server.receive(appendEntries(2, leader: s(1)), from: s(1))
        #expect(server.heardFromLeader)
        #expect(server.receive(preVote(3, candidate: s(3)), from: s(3)).map(\.message) == [preVoteResponse(2, granted: false)])
    }

    @Test func aPreVoteIsRefusedForAnOlderTermOrAStaleLog() throws {
        var server = Server(id: s(2), clusterSize: 3, configuration: Self.prevote)
        try server.setLog(Log(terms: [1, 2]))
        try server.setCurrentTerm(4)
        #expect(server.receive(preVote(3, candidate: s(3), lastLogIndex: 5, lastLogTerm: 2), from: s(3)).map(\.message) == [preVoteResponse(4, granted: false)])
        #expect(server.receive(preVote(5, candidate: s(3), lastLogIndex: 1, lastLogTerm: 2), from: s(3)).map(\.message) == [preVoteResponse(4, granted: false)])
        #expect(server.receive(preVote(5, candidate: s(3), lastLogIndex: 2, lastLogTerm: 2), from: s(3)).map(\.message) == [preVoteResponse(5, granted: true)])
        #expect(server.currentTerm == 4)
    }

    @Test func aMajorityOfPreVotesStartsTheRealElection() {
        var server = Server(id: s(1), clusterSize: 5, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        let first = server.handle(.receive(Envelope(from: s(2), to: s(1), message: preVoteResponse(1, granted: true))))
        // A granted response of a higher term does not demote the pre-candidate.
        #expect(server.role == .precandidate(votes: ServerSet([s(1), s(2)])))
        #expect(server.currentTerm == 0)
        #expect(first.messages.isEmpty)
        let second = server.handle(.receive(Envelope(from: s(4), to: s(1), message: preVoteResponse(1, granted: true))))
        #expect(server.role == .candidate(votes: ServerSet([s(1)])))
        #expect(server.currentTerm == 1)
        #expect(server.votedFor == s(1))
        #expect(second.resetsElectionTimer)
        #expect(second.messages.map(\.message) == Array(repeating: requestVote(1, candidate: s(1)), count: 4))
    }

    @Test func aRefusalWithAHigherTermDemotesThePrecandidate() {
        var server = Server(id: s(1), clusterSize: 3, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        _ = server.receive(preVoteResponse(7, granted: false), from: s(2))
        #expect(server.role == .follower)
        #expect(server.currentTerm == 7)
    }

    @Test func aRefusalOfItsOwnTermIsCountedAsNoVote() {
        var server = Server(id: s(1), clusterSize: 3, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        _ = server.receive(preVoteResponse(0, granted: false), from: s(2))
        #expect(server.role == .precandidate(votes: ServerSet([s(1)])))
    }

    @Test func lateGrantsOfAnEarlierRoundOfTheSameTermCount() {
        var server = Server(id: s(1), clusterSize: 5, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        _ = server.handle(.electionTimeout)  // a second round at term 0
        _ = server.receive(preVoteResponse(1, granted: true), from: s(2))  // answers the first round
        _ = server.receive(preVoteResponse(1, granted: true), from: s(3))
        #expect(server.role.kind == .candidate)
        #expect(server.currentTerm == 1)
    }

    @Test func grantsForAnOlderTermDoNotCount() throws {
        var server = Server(id: s(1), clusterSize: 3, configuration: Self.prevote)
        try server.setCurrentTerm(4)
        _ = server.handle(.electionTimeout)
        _ = server.receive(preVoteResponse(4, granted: true), from: s(2))  // asked at term 3
        #expect(server.role == .precandidate(votes: ServerSet([s(1)])))
    }

    @Test func appendEntriesOfItsTermMakesAPrecandidateAFollower() {
        var server = Server(id: s(1), clusterSize: 3, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        let output = server.handle(.receive(Envelope(from: s(2), to: s(1), message: appendEntries(0, leader: s(2)))))
        #expect(server.role == .follower)
        #expect(output.notes.contains(.yieldedToLeader(leader: s(2), term: 0)))
    }

    @Test func aPrecandidateIgnoresVotes() {
        var server = Server(id: s(1), clusterSize: 3, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        let before = server
        _ = server.receive(vote(0, granted: true), from: s(2))
        #expect(server == before)
    }

    @Test func aOneServerClusterElectsItselfAtOnce() {
        var server = Server(id: s(1), clusterSize: 1, configuration: Self.prevote)
        _ = server.handle(.electionTimeout)
        #expect(server.role.kind == .leader)
        #expect(server.currentTerm == 1)
    }

    @Test func withPreVoteOffATimeoutStillMakesACandidate() {
        var server = Server(id: s(1), clusterSize: 3)
        _ = server.handle(.electionTimeout)
        #expect(server.role.kind == .candidate)
    }
}
