import Testing
import RaftCore

/// Figure 7 of the Raft paper: a leader of term 8 and followers (a)–(f) with
/// missing, extra and conflicting entries.
@Suite(.timeLimit(.minutes(3)))
struct Figure7Tests {
    static let leaderLog = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6]

    struct Follower: Sendable, CustomTestStringConvertible {
        var name: String
        var log: [Int]
        var accepts: Bool
        /// The follower's log after the leader's first AppendEntries.
        var after: [Int]
        var testDescription: String { "(\(name)) \(log)" }
    }

    static let followers: [Follower] = [
        Follower(name: "a", log: [1, 1, 1, 4, 4, 5, 5, 6, 6], accepts: false, after: [1, 1, 1, 4, 4, 5, 5, 6, 6]),
        Follower(name: "b", log: [1, 1, 1, 4], accepts: false, after: [1, 1, 1, 4]),
        Follower(name: "c", log: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6], accepts: true, after: leaderLog + [8]),
        Follower(name: "d", log: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], accepts: true, after: leaderLog + [8]),
        Follower(name: "e", log: [1, 1, 1, 4, 4, 4, 4], accepts: false, after: [1, 1, 1, 4, 4, 4, 4]),
        Follower(name: "f", log: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], accepts: false, after: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]),
    ]

    /// s1 becomes leader of term 8 (its term set to 7, a timeout, three granted
    /// votes), then appends an entry of term 8 at index 11; s2…s7 are (a)…(f).
    /// Returns the servers, the heartbeats of its election and the AppendEntries
    /// carrying index 11.
    static func scenario() throws -> (servers: [Server], heartbeats: [Envelope], appends: [Envelope]) {
        var servers = makeServers(7)
        try servers[0].setLog(Log(terms: leaderLog))
        try servers[0].setCurrentTerm(7)
        for (offset, follower) in followers.enumerated() {
            try servers[offset + 1].setLog(Log(terms: follower.log))
        }
        _ = servers[0].handle(.electionTimeout)
        var heartbeats: [Envelope] = []
        for voter in 2...4 { heartbeats += servers[0].receive(vote(8), from: s(voter)) }
        #expect(servers[0].role.kind == .leader && servers[0].currentTerm == 8)
        let appends = Array(servers[0].handle(.clientRequest("x")).messages)
        #expect(servers[0].log.terms == leaderLog + [8])
        return (servers, heartbeats, appends)
    }

    @Test func leaderSendsPrevLogIndex10() throws {
        let (_, heartbeats, appends) = try Self.scenario()
        #expect(heartbeats.map(\.message) == Array(repeating: appendEntries(8, leader: s(1), prevLogIndex: 10, prevLogTerm: 6), count: 6))
        let expected = AppendEntries(term: 8, leader: s(1), prevLogIndex: 10, prevLogTerm: 6, entries: [LogEntry(term: 8, value: "x")], leaderCommit: 0)
        #expect(appends == (2...7).map { Envelope(from: s(1), to: s($0), message: .appendEntries(expected)) })
    }

    @Test(arguments: followers.indices)
    func firstAppendEntries(_ which: Int) throws {
        var (servers, _, appends) = try Self.scenario()
        let follower = Self.followers[which]
        let index = which + 1
        let reply = servers[index].handle(.receive(appends[which])).messages
        let matchIndex = follower.accepts ? 11 : 0
        #expect(reply == [Envelope(from: s(index + 1), to: s(1), message: appendResponse(8, success: follower.accepts, matchIndex: matchIndex))])
        #expect(servers[index].log.terms == follower.after)
        #expect(servers[index].currentTerm == 8)
        #expect(servers[index].role == .follower)
    }

    @Test func retriesBringEveryFollowerToTheLeaderLog() throws {
        var (servers, _, appends) = try Self.scenario()
        deliverAll(appends, to: &servers)
        for follower in servers.dropFirst() {
            #expect(follower.log == servers[0].log, "\(follower.id)")
        }
        #expect(servers[0].leadership?.matchIndex.dropFirst().allSatisfy { $0 == 11 } == true)
        #expect(servers[0].commitIndex == 11)
    }

    @Test func retriesConvergeWithTheElectionHeartbeatsToo() throws {
        var (servers, heartbeats, appends) = try Self.scenario()
        deliverAll(heartbeats + appends, to: &servers)
        #expect(servers.allSatisfy { $0.log == servers[0].log })
        #expect(servers[0].commitIndex == 11)
        deliverAll(servers[0].handle(.heartbeatTimeout).messages, to: &servers)
        #expect(servers.allSatisfy { $0.commitIndex == 11 })
    }
}
