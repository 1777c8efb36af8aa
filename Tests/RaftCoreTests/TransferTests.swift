import Testing
import RaftCore

/// Leadership transfer with TimeoutNow (thesis 3.10).
@Suite(.timeLimit(.minutes(3)))
struct TransferTests {
    func transfer(of server: Server) -> Leadership.Transfer? {
        guard case .leader(let leadership) = server.role else { return nil }
        return leadership.transfer
    }

    /// s1 leads three servers, every log holds `a`.
    func cluster(_ configuration: Configuration = Configuration()) -> [Server] {
        var servers = makeServers(3, configuration: configuration)
        elect(0, in: &servers)
        deliverAll(servers[0].handle(.clientRequest("a")).messages, to: &servers)
        return servers
    }

    @Test func aCaughtUpTargetGetsTimeoutNowAtOnce() {
        var servers = cluster()
        let output = servers[0].handle(.transferLeadership(to: s(3)))
        #expect(output.messages.map(\.message) == [.timeoutNow(TimeoutNow(term: 1))])
        #expect(output.messages.map(\.to) == [s(3)])
        #expect(transfer(of: servers[0]) == Leadership.Transfer(target: s(3), sentTimeoutNow: true))
    }

    @Test func aLaggingTargetIsCaughtUpFirstAndGetsTimeoutNowOnce() {
        var servers = cluster()
        // s3 misses `b`.
        for envelope in servers[0].handle(.clientRequest("b")).messages where envelope.to == s(2) {
            deliverAll([envelope], to: &servers)
        }
        let output = servers[0].handle(.transferLeadership(to: s(3)))
        #expect(output.messages.count == 1)
        guard case .appendEntries(let request) = output.messages[0].message else {
            Issue.record("expected AppendEntries, got \(output.messages[0].message)")
            return
        }
        #expect(request.entries.count == 1)
        let answer = servers[2].receive(output.messages[0].message, from: s(1))
        let caughtUp = servers[0].handle(.receive(answer[0]))
        #expect(caughtUp.messages.map(\.message) == [.timeoutNow(TimeoutNow(term: 1))])
        // A second success says nothing new: TimeoutNow went out once.
        let again = servers[0].handle(.receive(answer[0]))
        #expect(again.messages.isEmpty)
    }

    @Test func clientRequestsAreRefusedWhileATransferIsPending() {
        var servers = cluster()
        _ = servers[0].handle(.transferLeadership(to: s(2)))
        let output = servers[0].handle(.clientRequest("c"))
        #expect(servers[0].log.lastIndex == 1)
        #expect(output.notes == [.transferPending(target: s(2))])
        #expect(output.messages.isEmpty)
    }

    @Test func anotherTargetReplacesThePendingOneTheSameChangesNothing() {
        var servers = cluster()
        _ = servers[0].handle(.transferLeadership(to: s(2)))
        let same = servers[0]
        let output = servers[0].handle(.transferLeadership(to: s(2)))
        #expect(servers[0] == same && output.messages.isEmpty)
        let other = servers[0].handle(.transferLeadership(to: s(3)))
        #expect(transfer(of: servers[0])?.target == s(3))
        #expect(other.messages.map(\.to) == [s(3)])
    }

    @Test func theElectionTimerEndsIt() {
        var servers = cluster()
        _ = servers[0].handle(.transferLeadership(to: s(2)))
        let output = servers[0].handle(.electionTimeout)
        #expect(servers[0].role.kind == .leader)
        #expect(transfer(of: servers[0]) == nil)
        #expect(output.notes == [.endedTransfer(target: s(2))])
        #expect(output.resetsElectionTimer)
        #expect(servers[0].log.lastIndex == 1)
        _ = servers[0].handle(.clientRequest("c"))
        #expect(servers[0].log.lastIndex == 2)
    }

    @Test func aFollowerOfTheTermStartsAnElectionAtOnceMarkedAsATransfer() {
        var servers = cluster(Configuration(prevote: true, checkQuorum: true))
        let output = servers[2].handle(.receive(Envelope(from: s(1), to: s(3), message: .timeoutNow(TimeoutNow(term: 1)))))
        #expect(servers[2].role.kind == .candidate)  // not PRECANDIDATE, though prevote is on
        #expect(servers[2].currentTerm == 2)
        let marked = Message.requestVote(RequestVote(term: 2, candidate: s(3), lastLogIndex: 1, lastLogTerm: 1, transfer: true))
        #expect(output.messages.map(\.message) == [marked, marked])
        // The old leader and the other follower, sticky, still let it through.
        deliverAll(output.messages, to: &servers)
        #expect(servers[2].role.kind == .leader)
        #expect(servers[0].role == .follower)
        #expect(transfer(of: servers[0]) == nil)
    }

    @Test func timeoutNowIsIgnoredByOtherRolesAndOfOtherTerms() throws {
        var servers = cluster()
        let stale = servers[1]
        _ = servers[1].receive(.timeoutNow(TimeoutNow(term: 0)), from: s(1))
        #expect(servers[1] == stale)
        let leader = servers[0]
        _ = servers[0].receive(.timeoutNow(TimeoutNow(term: 1)), from: s(2))
        #expect(servers[0] == leader)
        _ = servers[2].handle(.electionTimeout)
        let candidate = servers[2]
        _ = servers[2].receive(.timeoutNow(TimeoutNow(term: 2)), from: s(1))
        #expect(servers[2] == candidate)
    }
}
