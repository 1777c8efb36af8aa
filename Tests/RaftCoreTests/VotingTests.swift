import Testing
import RaftCore

/// Section 5.4.1: a vote goes only to a candidate whose log is at least as up-to-date.
struct UpToDateCase: Sendable, CustomTestStringConvertible {
    var voterLog: [Int]
    var candidateLastTerm: Int
    var candidateLastIndex: Int
    var granted: Bool

    var testDescription: String {
        "voter \(voterLog) vs candidate (term \(candidateLastTerm), index \(candidateLastIndex)): \(granted ? "granted" : "refused")"
    }
}

/// Every voter log against every candidate: rows are voter logs, columns the
/// candidates (lastTerm, lastIndex) = (1,1) (1,2) (2,1) (2,2) (3,1).
let upToDateTable: [UpToDateCase] = {
    let candidates = [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
    let rows: [([Int], [Bool])] = [
        ([1],    [true,  true,  true,  true,  true]),
        ([1, 1], [false, true,  true,  true,  true]),
        ([2],    [false, false, true,  true,  true]),
        ([2, 2], [false, false, false, true,  true]),
    ]
    return rows.flatMap { log, grants in
        zip(candidates, grants).map { UpToDateCase(voterLog: log, candidateLastTerm: $0.0, candidateLastIndex: $0.1, granted: $1) }
    }
}()

@Suite(.timeLimit(.minutes(3)))
struct VotingTests {
    @Test(arguments: upToDateTable)
    func upToDateRule(_ row: UpToDateCase) throws {
        var voter = Server(id: s(1), clusterSize: 3)
        try voter.setLog(Log(terms: row.voterLog))
        let output = voter.handle(.receive(Envelope(
            from: s(2), to: s(1),
            message: requestVote(4, candidate: s(2), lastLogIndex: row.candidateLastIndex, lastLogTerm: row.candidateLastTerm)
        )))
        #expect(output.messages == [Envelope(from: s(1), to: s(2), message: vote(4, granted: row.granted))])
        #expect(voter.votedFor == (row.granted ? s(2) : nil))
        #expect(output.resetsElectionTimer == row.granted)
        #expect(voter.currentTerm == 4)
        #expect(voter.log.terms == row.voterLog)
    }

    @Test func upToDateTableIsComplete() {
        #expect(upToDateTable.count == 20)
        #expect(upToDateTable.filter(\.granted).count == 14)
    }

    @Test func grantsWhenNotYetVoted() throws {
        var voter = Server(id: s(1), clusterSize: 3)
        try voter.setCurrentTerm(2)
        let reply = voter.receive(requestVote(2, candidate: s(2)), from: s(2))
        #expect(reply.map(\.message) == [vote(2, granted: true)])
        #expect(voter.votedFor == s(2))
    }

    @Test func grantsAgainToTheSameCandidate() throws {
        var voter = Server(id: s(1), clusterSize: 3)
        try voter.setCurrentTerm(2)
        try voter.setVotedFor(s(2))
        let reply = voter.receive(requestVote(2, candidate: s(2)), from: s(2))
        #expect(reply.map(\.message) == [vote(2, granted: true)])
        #expect(voter.votedFor == s(2))
    }

    @Test func refusesAnotherCandidateInTheSameTerm() throws {
        var voter = Server(id: s(1), clusterSize: 3)
        try voter.setCurrentTerm(2)
        try voter.setVotedFor(s(3))
        let output = voter.handle(.receive(Envelope(from: s(2), to: s(1), message: requestVote(2, candidate: s(2)))))
        #expect(output.messages.map(\.message) == [vote(2, granted: false)])
        #expect(voter.votedFor == s(3))
        #expect(!output.resetsElectionTimer)
        #expect(output.notes == [.refusedVote(candidate: s(2), reason: .alreadyVoted(for: s(3)))])
    }

    @Test func oneVotePerTermThroughTwoRequests() {
        var voter = Server(id: s(1), clusterSize: 3)
        #expect(voter.receive(requestVote(1, candidate: s(2)), from: s(2)).map(\.message) == [vote(1, granted: true)])
        #expect(voter.receive(requestVote(1, candidate: s(3)), from: s(3)).map(\.message) == [vote(1, granted: false)])
        #expect(voter.votedFor == s(2))
        // A new term frees the vote.
        #expect(voter.receive(requestVote(2, candidate: s(3)), from: s(3)).map(\.message) == [vote(2, granted: true)])
        #expect(voter.votedFor == s(3))
    }

    @Test func candidateRefusesOtherCandidatesOfItsTerm() {
        var server = Server(id: s(1), clusterSize: 3)
        _ = server.handle(.electionTimeout)
        #expect(server.receive(requestVote(1, candidate: s(2)), from: s(2)).map(\.message) == [vote(1, granted: false)])
        #expect(server.role.kind == .candidate)
        #expect(server.votedFor == s(1))
    }
}
