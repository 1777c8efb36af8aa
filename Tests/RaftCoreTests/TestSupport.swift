import RaftCore
import Testing

/// Shorthand for server ids: `s(1)` is the paper's S1 (index 0).
func s(_ number: Int) -> ServerID { ServerID(number - 1) }

/// A cluster of fresh followers of term 0.
func makeServers(_ count: Int, configuration: Configuration = Configuration()) -> [Server] {
    (0..<count).map { Server(id: ServerID($0), clusterSize: count, configuration: configuration) }
}

/// Delivers `queue` and everything it provokes in FIFO order until nothing is
/// left. Messages for which `drop` holds are lost. Returns the number delivered.
///
/// Stops after `limit` messages, recording an issue: with a rule broken, servers
/// may answer each other for ever, and the test should fail, not fill memory.
@discardableResult
func deliverAll(
    _ queue: some Sequence<Envelope>, to servers: inout [Server], limit: Int = 10_000,
    sourceLocation: SourceLocation = #_sourceLocation, drop: (Envelope) -> Bool = { _ in false }
) -> Int {
    var queue = Array(queue)
    var head = 0
    var output = Output()
    while head < queue.count {
        guard head < limit else {
            Issue.record("\(queue.count - head) still in flight after \(limit) deliveries", sourceLocation: sourceLocation)
            return head
        }
        let envelope = queue[head]
        head += 1
        if drop(envelope) { continue }
        output.removeAll()
        servers[envelope.to.index].handle(.receive(envelope), into: &output)
        queue.append(contentsOf: output.messages)
    }
    return head
}

/// Makes `servers[index]` leader by an election delivered to everyone; returns what the new leader sent.
@discardableResult
func elect(_ index: Int, in servers: inout [Server], sourceLocation: SourceLocation = #_sourceLocation) -> [Envelope] {
    let requests = servers[index].handle(.electionTimeout).messages
    var sentByLeader: [Envelope] = []
    deliverAll(requests, to: &servers, sourceLocation: sourceLocation) { envelope in
        if envelope.from.index == index, case .appendEntries = envelope.message { sentByLeader.append(envelope) }
        return false
    }
    return sentByLeader
}

extension Server {
    /// The leader's per-peer state, nil unless leader.
    var leadership: Leadership? {
        if case .leader(let leadership) = role { return leadership }
        return nil
    }

    /// Handles a message from `sender` and returns what it sent back.
    mutating func receive(_ message: Message, from sender: ServerID) -> [Envelope] {
        Array(handle(.receive(Envelope(from: sender, to: id, message: message))).messages)
    }
}

func vote(_ term: Int, granted: Bool = true) -> Message {
    .requestVoteResponse(RequestVoteResponse(term: term, granted: granted))
}

func requestVote(_ term: Int, candidate: ServerID, lastLogIndex: Int = 0, lastLogTerm: Int = 0) -> Message {
    .requestVote(RequestVote(term: term, candidate: candidate, lastLogIndex: lastLogIndex, lastLogTerm: lastLogTerm))
}

func appendEntries(_ term: Int, leader: ServerID, prevLogIndex: Int = 0, prevLogTerm: Int = 0, entries: [Int] = [], leaderCommit: Int = 0) -> Message {
    .appendEntries(AppendEntries(
        term: term, leader: leader, prevLogIndex: prevLogIndex, prevLogTerm: prevLogTerm,
        entries: LogEntries(entries.lazy.map { LogEntry(term: $0) }), leaderCommit: leaderCommit
    ))
}

func appendResponse(_ term: Int, success: Bool, matchIndex: Int = 0) -> Message {
    .appendEntriesResponse(AppendEntriesResponse(term: term, success: success, matchIndex: matchIndex))
}
