import RaftCore

/// Servers in an array plus one FIFO queue of messages in flight.
///
/// Servers are mutated in place (`servers[i].handle`), never copied out, so a
/// log's buffer stays uniquely referenced and appending stays O(1) amortized.
///
/// The queue is the `messages` buffer of the one `Output` every event is
/// handled into: a server only appends to it, so what it sends lands at the
/// back of the queue without being copied, and the buffer is emptied (keeping
/// its capacity) once everything has been delivered. The other fields of the
/// output (timer resets, log changes) are not used here.
struct CoreCluster {
    var servers: [Server]
    private var output = Output()
    private var head = 0
    private(set) var delivered = 0

    init(size: Int) {
        servers = (0..<size).map { Server(id: ServerID($0), clusterSize: size) }
    }

    /// Handles an event at one server; what it sends joins the queue.
    mutating func fire(_ event: Event, at index: Int) {
        servers[index].handle(event, into: &output)
    }

    /// Delivers messages in the order sent until none is left.
    mutating func settle() {
        while head < output.messages.count {
            let envelope = output.messages[head]
            head += 1
            servers[envelope.to.index].handle(.receive(envelope), into: &output)
            delivered += 1
        }
        output.removeAll()
        head = 0
    }
}

/// `core`: RaftCore alone, no cluster around it: an election, then `requests`
/// client requests, each settled before the next.
func runCore(requests: Int) -> Measurement {
    Measurement("core (5 servers, election + \(format(requests)) requests)") {
        var cluster = CoreCluster(size: 5)
        let leader = 0
        let values = (0..<100).map { "v\($0)" }
        cluster.fire(.electionTimeout, at: leader)
        cluster.settle()
        guard case .leader = cluster.servers[leader].role else { fail("core: s1 did not win the election") }
        let committedBefore = cluster.servers[leader].commitIndex
        for request in 0..<requests {
            cluster.fire(.clientRequest(values[request % values.count]), at: leader)
            cluster.settle()
        }
        let commits = cluster.servers[leader].commitIndex - committedBefore
        guard commits == requests else { fail("core: \(commits) of \(requests) requests committed") }
        for server in cluster.servers where server.log.lastIndex != requests || server.commitIndex < requests - 1 {
            fail("core: \(server.id) has \(server.log.lastIndex) entries, commit index \(server.commitIndex)")
        }
        return [(cluster.delivered, "messages"), (commits, "commits")]
    }
}
