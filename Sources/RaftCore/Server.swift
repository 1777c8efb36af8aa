/// One Raft server: its state and its reaction to events (Figure 2 of the paper).
///
/// A pure value: no I/O, clock or randomness. Every input is a call to
/// `handle`, every output is what it writes to an `Output`, so the same inputs
/// always give the same server.
public struct Server: Hashable, Sendable {
    public let id: ServerID
    /// The number of servers in the cluster, this one included. Peers are every
    /// other position, always in cluster order.
    public let clusterSize: Int
    public var configuration: Configuration

    // Persistent state on all servers (survives a restart).
    public internal(set) var currentTerm = 0
    public internal(set) var votedFor: ServerID?
    public internal(set) var log = Log()

    // Volatile state.
    public internal(set) var role: Role = .follower
    public internal(set) var commitIndex = 0
    /// Leader contact (raftscript.md section 10): heard from the leader of the
    /// current term since its election timer last fired. Kept only while Pre-Vote
    /// or CheckQuorum is on, the two rules that read it (`hasLeaderContact`).
    public internal(set) var heardFromLeader = false

    public init(id: ServerID, clusterSize: Int, configuration: Configuration = Configuration()) {
        precondition(clusterSize >= 1 && id.index < clusterSize, "server outside its cluster")
        self.id = id
        self.clusterSize = clusterSize
        self.configuration = configuration
    }

    /// Votes needed to win an election and replicas needed to commit.
    public var majority: Int { clusterSize / 2 + 1 }

    /// Every other server, in cluster order.
    public var peers: some Sequence<ServerID> {
        let own = id  // captured alone: capturing `self` would copy the whole server
        return (0..<clusterSize - 1).lazy.map { own.peer(at: $0) }
    }

    /// Sends every peer, in cluster order, the message `message(peer)`, as one
    /// append to the outbox.
    func broadcast(into output: inout Output, _ message: (ServerID) -> Message) {
        let own = id
        output.messages.append(count: clusterSize - 1) { position in
            let peer = own.peer(at: position)
            return Envelope(from: own, to: peer, message: message(peer))
        }
    }

    /// Handles one event, writing what to send (and, if asked, what happened) into `output`.
    /// The event is consumed so that a message's payload is moved, not copied, into
    /// the handler for its kind (an AppendEntries holds a reference to its entries).
    public mutating func handle(_ event: consuming Event, into output: inout Output) {
        switch consume event {
        case .electionTimeout:
            electionTimeout(into: &output)
        case .heartbeatTimeout:
            heartbeatTimeout(into: &output)
        case .clientRequest(let value):
            clientRequest(value, into: &output)
        case .transferLeadership(let target):
            transferLeadership(to: target, into: &output)
        case .receive(let envelope):
            receive(envelope.message, from: envelope.from, into: &output)
        }
    }

    /// Handles one message: what `handle(.receive(envelope), into:)` does, for the
    /// cluster's deliveries, most of its events. Through `handle` a message waits
    /// for the switch over every kind of event, which loads the payload of each
    /// before it dispatches (callgrind, simulate benchmark: about seven
    /// instructions an event with link-time optimization, fifteen without).
    public mutating func handle(_ envelope: consuming Envelope, into output: inout Output) {
        receive(envelope.message, from: envelope.from, into: &output)
    }

    /// Handles one event and returns its output, with narration.
    public mutating func handle(_ event: Event) -> Output {
        var output = Output(recordsNotes: true)
        handle(event, into: &output)
        return output
    }

    /// The server comes back after a crash: persistent state survives, volatile state is reset.
    public mutating func restart() {
        role = .follower
        commitIndex = 0
        heardFromLeader = false
    }

    /// Whether it has heard from a leader (section 10): a LEADER always counts.
    public var hasLeaderContact: Bool {
        heardFromLeader || role.kind == .leader
    }
}
