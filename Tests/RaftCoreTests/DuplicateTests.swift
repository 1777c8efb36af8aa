import Testing
import RaftCore

/// The network may duplicate and reorder messages: a follower only cuts its log
/// at a real conflict, so a repeated or late AppendEntries changes nothing.
@Suite(.timeLimit(.minutes(3)))
struct DuplicateTests {
    static func follower() throws -> Server {
        var server = Server(id: s(2), clusterSize: 3)
        try server.setLog(Log(terms: [1]))
        return server
    }

    @Test func sameAppendEntriesTwice() throws {
        var server = try Self.follower()
        let request = appendEntries(2, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [2, 2], leaderCommit: 1)
        let first = server.receive(request, from: s(1))
        let afterFirst = server
        #expect(server.log.terms == [1, 2, 2])
        let second = server.handle(.receive(Envelope(from: s(1), to: s(2), message: request)))
        #expect(server == afterFirst)
        #expect(second.logChangedFrom == nil)
        #expect(Array(second.messages) == first)
        #expect(first.map(\.message) == [appendResponse(2, success: true, matchIndex: 3)])
    }

    @Test func olderShorterAppendEntriesAfterNewerLongerOne() throws {
        var server = try Self.follower()
        let older = appendEntries(2, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [2], leaderCommit: 1)
        let newer = appendEntries(2, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [2, 2, 2], leaderCommit: 3)
        _ = server.receive(newer, from: s(1))
        let afterNewer = server
        #expect(server.log.terms == [1, 2, 2, 2])
        #expect(server.commitIndex == 3)
        let output = server.handle(.receive(Envelope(from: s(1), to: s(2), message: older)))
        #expect(server == afterNewer)  // nothing truncated, commit index not lowered
        #expect(output.logChangedFrom == nil)
        // It answers for what that request covered.
        #expect(output.messages.map(\.message) == [appendResponse(2, success: true, matchIndex: 2)])
    }

    @Test func olderHeartbeatAfterEntriesKeepsThem() throws {
        var server = try Self.follower()
        _ = server.receive(appendEntries(2, leader: s(1), prevLogIndex: 1, prevLogTerm: 1, entries: [2, 2]), from: s(1))
        let before = server
        _ = server.receive(appendEntries(2, leader: s(1), prevLogIndex: 0, prevLogTerm: 0), from: s(1))
        #expect(server == before)
    }

    @Test func leaderIgnoresReorderedResponses() throws {
        var servers = makeServers(3)
        elect(0, in: &servers)
        let first = servers[0].handle(.clientRequest("a")).messages
        let second = servers[0].handle(.clientRequest("b")).messages
        // s2 gets the second request first, then the first; both answers reach the leader late-first.
        let replyToSecond = servers[1].handle(.receive(second[0])).messages
        let replyToFirst = servers[1].handle(.receive(first[0])).messages
        #expect(servers[1].log.entries.map(\.value) == ["a", "b"])
        _ = servers[0].handle(.receive(replyToSecond[0]))
        #expect(servers[0].leadership?.matchIndex[1] == 2)
        #expect(servers[0].commitIndex == 2)
        #expect(servers[0].handle(.receive(replyToFirst[0])).messages.isEmpty)
        #expect(servers[0].leadership?.matchIndex[1] == 2)
        #expect(servers[0].leadership?.nextIndex[1] == 3)
        #expect(servers[0].commitIndex == 2)
    }
}
