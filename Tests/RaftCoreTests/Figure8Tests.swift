import Testing
import RaftCore

/// Figure 8 of the Raft paper: a leader never commits an entry of an earlier
/// term by counting replicas, only through an entry of its own term.
@Suite(.timeLimit(.minutes(3)))
struct Figure8Tests {
    @Test func termTwoEntryOnMajorityIsNotCommittedUntilTermFourEntryIs() throws {
        // Figure 8 (c): S1 leader of term 4 with [1, 2]; S2 has [1, 2]; S3 [1]; S5 has [1, 3].
        var servers = makeServers(5)
        try servers[0].setLog(Log(terms: [1, 2]))
        try servers[1].setLog(Log(terms: [1, 2]))
        try servers[2].setLog(Log(terms: [1]))
        try servers[3].setLog(Log(terms: [1]))
        try servers[4].setLog(Log(terms: [1, 3]))
        try servers[0].setCurrentTerm(3)
        _ = servers[0].handle(.electionTimeout)
        _ = servers[0].receive(vote(4), from: s(2))
        let heartbeats = servers[0].receive(vote(4), from: s(3))
        #expect(servers[0].role.kind == .leader && servers[0].currentTerm == 4)

        // S4 and S5 are cut off; S1 brings S3 up to [1, 2].
        let isolated: (Envelope) -> Bool = { $0.to.index >= 3 || $0.from.index >= 3 }
        deliverAll(heartbeats, to: &servers, drop: isolated)
        #expect(servers[2].log.terms == [1, 2])
        #expect(servers[0].leadership?.matchIndex == [0, 2, 2, 0, 0])
        #expect(servers[0].commitIndex == 0)  // index 2 is on S1, S2, S3 but of term 2

        // Figure 8 (d) shows why: S5 (last term 3) could still win term 5 with the
        // vote of S3, which holds index 2, and overwrite it.
        var s3 = servers[2]
        #expect(s3.receive(requestVote(5, candidate: s(5), lastLogIndex: 2, lastLogTerm: 3), from: s(5)).map(\.message) == [vote(5, granted: true)])

        // Figure 8 (e): S1 appends an entry of term 4; once it is on a majority, both commit.
        let appends = servers[0].handle(.clientRequest("x")).messages
        #expect(servers[0].commitIndex == 0)
        let toS2 = try #require(appends.first { $0.to == s(2) })
        let toS3 = try #require(appends.first { $0.to == s(3) })
        let ack2 = servers[1].handle(.receive(toS2)).messages
        let ack3 = servers[2].handle(.receive(toS3)).messages
        _ = servers[0].handle(.receive(ack2[0]))
        #expect(servers[0].commitIndex == 0)  // index 3 on S1 and S2 only
        let output = servers[0].handle(.receive(ack3[0]))
        #expect(servers[0].commitIndex == 3)
        #expect(output.notes == [.peerStores(peer: s(3), matchIndex: 3, nextIndex: 4), .committed(through: 3, term: 4)])
    }

    /// Figure 8 (c) from the leader's side: the replica that puts index 2 on a
    /// majority raises matchIndex, and the leader says why it still does not commit.
    @Test func theLeaderSaysWhyAnEarlierTermEntryOnAMajorityIsNotCommitted() throws {
        var servers = makeServers(5)
        try servers[0].setLog(Log(terms: [1, 2]))
        try servers[0].setCurrentTerm(3)
        _ = servers[0].handle(.electionTimeout)
        _ = servers[0].receive(vote(4), from: s(2))
        _ = servers[0].receive(vote(4), from: s(3))
        #expect(servers[0].role.kind == .leader)
        let fromS2 = servers[0].handle(.receive(Envelope(from: s(2), to: s(1), message: appendResponse(4, success: true, matchIndex: 2))))
        #expect(fromS2.notes == [.peerStores(peer: s(2), matchIndex: 2, nextIndex: 3)])
        let fromS3 = servers[0].handle(.receive(Envelope(from: s(3), to: s(1), message: appendResponse(4, success: true, matchIndex: 2))))
        #expect(servers[0].commitIndex == 0)
        #expect(fromS3.notes == [.peerStores(peer: s(3), matchIndex: 2, nextIndex: 3), .withheldCommit(index: 2, entryTerm: 2, term: 4)])
    }

    @Test func noopCommitsEarlierEntriesWithoutAClient() throws {
        var servers = makeServers(3, configuration: Configuration(noop: true))
        try servers[0].setLog(Log(terms: [1, 2]))
        try servers[1].setLog(Log(terms: [1]))
        elect(0, in: &servers)
        #expect(servers[0].commitIndex == 3)
        #expect(servers.allSatisfy { $0.log.terms == [1, 2, 3] })
    }
}
