import Testing
import RaftCore

/// Section 5.3: the consistency check, nextIndex back-off and commitment.
@Suite(.timeLimit(.minutes(3)))
struct ReplicationTests {
    /// s1 leader of term 2 in a cluster of `size`, elected with log [1, 1] (so nextIndex 3),
    /// that then appended client entry "x" at index 3; nothing delivered.
    static func leader(size: Int = 3) throws -> Server {
        var server = Server(id: s(1), clusterSize: size)
        try server.setLog(Log(terms: [1, 1]))
        _ = server.handle(.electionTimeout)
        for peer in 2...(size / 2 + 1) { _ = server.receive(vote(2), from: s(peer)) }
        _ = server.handle(.clientRequest("x"))
        #expect(server.leadership?.nextIndex[1] == 3)
        return server
    }

    @Test func failureDecrementsNextIndexAndResendsAtOnce() throws {
        var server = try Self.leader()
        let retry = server.receive(appendResponse(2, success: false), from: s(2))
        #expect(try #require(server.leadership).nextIndex == [3, 2, 3])
        #expect(retry == [Envelope(from: s(1), to: s(2), message: .appendEntries(AppendEntries(
            term: 2, leader: s(1), prevLogIndex: 1, prevLogTerm: 1,
            entries: [LogEntry(term: 1), LogEntry(term: 2, value: "x")], leaderCommit: 0
        )))])
        let again = server.receive(appendResponse(2, success: false), from: s(2))
        #expect(try #require(server.leadership).nextIndex == [3, 1, 3])
        #expect(again.map(\.message) == [.appendEntries(AppendEntries(
            term: 2, leader: s(1), prevLogIndex: 0, prevLogTerm: 0,
            entries: [LogEntry(term: 1), LogEntry(term: 1), LogEntry(term: 2, value: "x")], leaderCommit: 0
        ))])
    }

    @Test func nextIndexNeverFallsBelowOne() throws {
        var server = try Self.leader()
        for expected in [2, 1, 1, 1] {
            let retry = server.receive(appendResponse(2, success: false), from: s(3))
            #expect(server.leadership?.nextIndex[2] == expected)
            guard case .appendEntries(let request) = try #require(retry.first).message else { Issue.record("no retry"); return }
            #expect(request.prevLogIndex == expected - 1)
            #expect(request.entries.count == 4 - expected)
        }
    }

    @Test func successRaisesIndexesAndSendsNothing() throws {
        var server = try Self.leader(size: 5)
        #expect(server.receive(appendResponse(2, success: true, matchIndex: 3), from: s(4)).isEmpty)
        let leadership = try #require(server.leadership)
        #expect(leadership.matchIndex == [0, 0, 0, 3, 0])
        #expect(leadership.nextIndex == [3, 3, 3, 4, 3])
        // A late success for less never lowers what the leader knows.
        #expect(server.receive(appendResponse(2, success: true, matchIndex: 1), from: s(4)).isEmpty)
        #expect(server.leadership?.matchIndex == [0, 0, 0, 3, 0])
        #expect(server.leadership?.nextIndex == [3, 3, 3, 4, 3])
    }

    @Test func successAfterBackOffRaisesNextIndexAgain() throws {
        var server = try Self.leader()
        _ = server.receive(appendResponse(2, success: false), from: s(2))
        _ = server.receive(appendResponse(2, success: false), from: s(2))
        _ = server.receive(appendResponse(2, success: true, matchIndex: 3), from: s(2))
        #expect(server.leadership?.nextIndex == [3, 4, 3])
        #expect(server.leadership?.matchIndex == [0, 3, 0])
    }

    @Test func leaderCommitsWhenAMajorityStoresAnEntryOfItsTerm() throws {
        var server = try Self.leader(size: 5)
        _ = server.receive(appendResponse(2, success: true, matchIndex: 3), from: s(2))
        #expect(server.commitIndex == 0)  // 2 of 5
        let output = server.handle(.receive(Envelope(from: s(5), to: s(1), message: appendResponse(2, success: true, matchIndex: 3))))
        #expect(server.commitIndex == 3)  // 3 of 5: index 3 and all before it
        #expect(output.messages.isEmpty)
        #expect(output.notes == [.peerStores(peer: s(5), matchIndex: 3, nextIndex: 4), .committed(through: 3, term: 2)])
    }

    @Test func aResponseThatTellsNothingNewIsNotNarrated() throws {
        var server = try Self.leader(size: 5)
        let first = server.handle(.receive(Envelope(from: s(2), to: s(1), message: appendResponse(2, success: true, matchIndex: 3))))
        #expect(first.notes == [.peerStores(peer: s(2), matchIndex: 3, nextIndex: 4)])
        let again = server.handle(.receive(Envelope(from: s(2), to: s(1), message: appendResponse(2, success: true, matchIndex: 3))))
        #expect(again.notes == [])
    }

    @Test func followerAppendsAndAnswersWithMatchIndex() throws {
        var follower = Server(id: s(2), clusterSize: 3)
        try follower.setLog(Log(terms: [1]))
        let output = follower.handle(.receive(Envelope(from: s(1), to: s(2), message: appendEntries(2, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [2, 2]))))
        #expect(follower.log.terms == [1, 2, 2])
        #expect(output.logChangedFrom == 2)
        #expect(output.resetsElectionTimer)
        #expect(output.messages == [Envelope(from: s(2), to: s(1), message: appendResponse(2, success: true, matchIndex: 3))])
    }

    @Test func followerRefusesMissingOrMismatchedPrevEntry() throws {
        var follower = Server(id: s(2), clusterSize: 3)
        try follower.setLog(Log(terms: [1, 1]))
        let missing = follower.handle(.receive(Envelope(from: s(1), to: s(2), message: appendEntries(2, leader: s(1), prevLogIndex: 3, prevLogTerm: 1, entries: [2]))))
        #expect(missing.messages.map(\.message) == [appendResponse(2, success: false, matchIndex: 0)])
        #expect(missing.notes.last == .refusedEntries(leader: s(1), reason: .missingEntry(prevLogIndex: 3, lastIndex: 2)))
        let mismatch = follower.handle(.receive(Envelope(from: s(1), to: s(2), message: appendEntries(2, leader: s(1), prevLogIndex: 2, prevLogTerm: 2, entries: [2]))))
        #expect(mismatch.messages.map(\.message) == [appendResponse(2, success: false, matchIndex: 0)])
        #expect(mismatch.notes.last == .refusedEntries(leader: s(1), reason: .termMismatch(prevLogIndex: 2, prevLogTerm: 2, followerTerm: 1)))
        #expect(follower.log.terms == [1, 1])
        #expect(mismatch.logChangedFrom == nil)
    }

    @Test func followerCommitIsMinOfLeaderCommitAndLastNewEntry() throws {
        var follower = Server(id: s(2), clusterSize: 3)
        try follower.setLog(Log(terms: [1, 1, 1, 1]))
        // The request covers index 2 only: entries beyond it may not be the leader's.
        _ = follower.receive(appendEntries(1, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [1], leaderCommit: 4), from: s(1))
        #expect(follower.commitIndex == 2)
        _ = follower.receive(appendEntries(1, leader: s(1), prevLogIndex: 4, prevLogTerm: 1, leaderCommit: 3), from: s(1))
        #expect(follower.commitIndex == 3)
        // Never lowered.
        _ = follower.receive(appendEntries(1, leader: s(1), prevLogIndex: 4, prevLogTerm: 1, leaderCommit: 1), from: s(1))
        #expect(follower.commitIndex == 3)
    }

    @Test func conflictTruncatesFromFirstConflictOnly() throws {
        var follower = Server(id: s(2), clusterSize: 3)
        try follower.setLog(Log(terms: [1, 1, 2, 2, 2]))
        let output = follower.handle(.receive(Envelope(from: s(1), to: s(2), message: appendEntries(3, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [1, 3]))))
        #expect(follower.log.terms == [1, 1, 3])
        #expect(output.logChangedFrom == 3)
        #expect(output.notes.contains(.acceptedEntries(leader: s(1), prevLogIndex: 1, count: 2, truncatedFrom: 3)))
        #expect(output.messages.map(\.message) == [appendResponse(3, success: true, matchIndex: 3)])
    }

    @Test func fiveServersReplicateAndCommit() {
        var servers = makeServers(5)
        elect(0, in: &servers)
        for value in ["a", "b", "c"] {
            deliverAll(servers[0].handle(.clientRequest(value)).messages, to: &servers)
        }
        let expected = LogEntries(["a", "b", "c"].map { LogEntry(term: 1, value: $0) })
        #expect(servers.allSatisfy { $0.log.entries == expected })
        #expect(servers[0].commitIndex == 3)
        #expect(servers.dropFirst().allSatisfy { $0.commitIndex == 2 })
        deliverAll(servers[0].handle(.heartbeatTimeout).messages, to: &servers)
        #expect(servers.allSatisfy { $0.commitIndex == 3 })
    }
}
