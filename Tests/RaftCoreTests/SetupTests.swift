import Testing
import RaftCore

/// The setters for scenarios: their typed errors, and that a refused change leaves the server as it was.
@Suite(.timeLimit(.minutes(3)))
struct SetupTests {
    @Test func setCurrentTermErrors() throws {
        var server = Server(id: s(1), clusterSize: 3)
        try server.setLog(Log(terms: [1, 3]))
        let before = server
        #expect(throws: StateError.negativeTerm(-1)) { try server.setCurrentTerm(-1) }
        #expect(throws: StateError.termBelowLastLogTerm(term: 2, lastLogTerm: 3)) { try server.setCurrentTerm(2) }
        #expect(server == before)
        #expect(throws: Never.self) { try server.setCurrentTerm(3) }
    }

    @Test func setCurrentTermClearsVote() throws {
        var server = Server(id: s(1), clusterSize: 3)
        try server.setVotedFor(s(2))
        try server.setCurrentTerm(5)
        #expect(server.currentTerm == 5 && server.votedFor == nil)
    }

    @Test func setLogErrors() throws {
        var server = Server(id: s(1), clusterSize: 3)
        try server.setLog(Log(terms: [1]))
        let before = server
        #expect(throws: StateError.decreasingLogTerms(index: 3, term: 2, previousTerm: 3)) { try server.setLog(Log(terms: [1, 3, 2])) }
        #expect(throws: StateError.negativeTerm(-1)) { try server.setLog(Log(terms: [-1])) }
        #expect(server == before)
    }

    @Test func setLogRaisesTermAndClampsCommitIndex() throws {
        var server = Server(id: s(1), clusterSize: 3)
        try server.setCurrentTerm(2)
        try server.setVotedFor(s(3))
        try server.setLog(Log(terms: [1, 1, 1]))
        try server.setCommitIndex(3)
        #expect(server.currentTerm == 2 && server.votedFor == s(3))  // term not raised: vote kept
        try server.setLog(Log(terms: [1, 4]))
        #expect(server.currentTerm == 4 && server.votedFor == nil)
        #expect(server.commitIndex == 2)
        try server.setLog(Log())
        #expect(server.log.lastIndex == 0 && server.commitIndex == 0 && server.currentTerm == 4)
    }

    @Test func setVotedForErrors() throws {
        var server = Server(id: s(1), clusterSize: 3)
        #expect(throws: StateError.unknownServer(s(4))) { try server.setVotedFor(s(4)) }
        #expect(server.votedFor == nil)
        try server.setVotedFor(s(3))
        try server.setVotedFor(nil)
        #expect(server.votedFor == nil)
    }

    @Test func setCommitIndexErrors() throws {
        var server = Server(id: s(1), clusterSize: 3)
        try server.setLog(Log(terms: [1, 1]))
        #expect(throws: StateError.commitIndexOutOfRange(commitIndex: 3, lastIndex: 2)) { try server.setCommitIndex(3) }
        #expect(throws: StateError.commitIndexOutOfRange(commitIndex: -1, lastIndex: 2)) { try server.setCommitIndex(-1) }
        #expect(server.commitIndex == 0)
        try server.setCommitIndex(2)
        #expect(server.commitIndex == 2)
    }

    @Test func settersNeverChangeRole() throws {
        var servers = makeServers(3)
        elect(0, in: &servers)
        for value in ["a", "b", "c", "d"] { deliverAll(servers[0].handle(.clientRequest(value)).messages, to: &servers) }
        #expect(servers[0].leadership?.nextIndex == [1, 5, 5])
        try servers[0].setCurrentTerm(9)
        try servers[0].setLog(Log(terms: [1, 2]))
        try servers[0].setCommitIndex(1)
        try servers[0].setVotedFor(s(2))
        #expect(servers[0].role.kind == .leader)
        // The per-peer indexes are clamped into the new log.
        #expect(servers[0].leadership?.nextIndex == [1, 3, 3])
        #expect(servers[0].leadership?.matchIndex == [0, 2, 2])
    }
}
