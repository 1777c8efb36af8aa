import RaftCore

/// A 64-bit fingerprint of a cluster's state up to a renaming of its servers,
/// for exhaustive exploration: states that differ only in which server is
/// called what are one state.
///
/// What counts: every server's Raft state and whether it is up, the messages in
/// flight as a multiset (exploration may deliver any of them, so their order
/// does not matter), and the safety history (leaders per term, committed
/// entries), since a future violation can depend on it. Not counted: time,
/// timers, partitions (exploration uses none of them) and statistics.
extension Cluster {
    public struct Fingerprint: Sendable {
        /// The smallest fingerprint over every renaming: equal for symmetric states.
        public var canonical: UInt64
        /// How many different states the renamings give: the states this one stands for.
        public var orbit: Int
    }

    /// The fingerprint under every permutation of the servers (all n! of them, so
    /// meant for the small clusters exhaustive search can cover), or under the
    /// identity alone when `symmetry` is off.
    public func fingerprint(symmetry: Bool, extra: UInt64 = 0) -> Fingerprint {
        let parts = FingerprintParts(self)
        guard symmetry, size > 1 else {
            return Fingerprint(canonical: parts.combine(renaming: Array(0..<size), extra: extra), orbit: 1)
        }
        var values: [UInt64] = []
        Permutations.forEach(of: size) { renaming in
            values.append(parts.combine(renaming: renaming, extra: extra))
        }
        values.sort()
        var orbit = 1
        for i in 1..<values.count where values[i] != values[i - 1] { orbit += 1 }
        return Fingerprint(canonical: values[0], orbit: orbit)
    }
}

/// The pieces of a fingerprint, split into what a renaming of servers leaves
/// alone (logs, terms, message bodies: hashed once) and the server ids it
/// changes (mixed in per renaming), so trying all n! renamings stays cheap.
private struct FingerprintParts {
    struct ServerPart {
        var invariant: UInt64
        var votedFor: ServerID?
        var votes: [ServerID]
        /// A leader's (peer, nextIndex, matchIndex).
        var progress: [(ServerID, UInt64, UInt64)]
    }

    struct MessagePart {
        var invariant: UInt64
        var from: ServerID
        var to: ServerID
        /// The candidate of a RequestVote, the leader of an AppendEntries.
        var named: ServerID?
    }

    var servers: [ServerPart] = []
    var messages: [MessagePart] = []
    var leaders: [(term: UInt64, leader: ServerID)] = []
    var history: UInt64

    init(_ cluster: Cluster) {
        for server in cluster.servers {
            var h = StableHasher()
            h.combine(cluster.isUp[server.id.index] ? 1 : 0)
            h.combine(UInt64(server.currentTerm))
            h.combine(UInt64(server.commitIndex))
            h.combine(UInt64(server.log.lastIndex))
            for entry in server.log.entries {
                h.combine(UInt64(entry.term))
                h.combine(StableHasher.hash(entry.value))
            }
            var part = ServerPart(invariant: 0, votedFor: server.votedFor, votes: [], progress: [])
            switch server.role {
            case .follower:
                h.combine(1)
            case .candidate(let votes):
                h.combine(2)
                part.votes = votes.members
            case .leader(let leadership):
                h.combine(3)
                part.votes = leadership.votes.members
                part.progress = server.peers.map {
                    ($0, UInt64(leadership.nextIndex[$0.index]), UInt64(leadership.matchIndex[$0.index]))
                }
            }
            part.invariant = h.value
            servers.append(part)
        }
        for message in cluster.network.messages {
            messages.append(Self.part(message.envelope))
        }
        leaders = cluster.safety.leaders.map { (UInt64($0.key), $0.value) }
        var h = StableHasher()
        for entry in cluster.safety.committed {
            h.combine(UInt64(entry.entry.term))
            h.combine(StableHasher.hash(entry.entry.value))
            h.combine(UInt64(entry.committedInTerm))
        }
        history = h.value
    }

    /// `renaming[i]` is the new position of server i.
    func combine(renaming: [Int], extra: UInt64) -> UInt64 {
        func id(_ server: ServerID) -> UInt64 { UInt64(renaming[server.index]) }
        var serverHashes = Array(repeating: UInt64(0), count: servers.count)
        for (index, part) in servers.enumerated() {
            var h = StableHasher()
            h.combine(part.invariant)
            h.combine(part.votedFor.map { id($0) + 1 } ?? 0)
            h.combine(part.votes.reduce(0) { $0 | 1 << id($1) })
            if !part.progress.isEmpty {
                var progress: UInt64 = 0
                for (peer, next, match) in part.progress {
                    progress &+= StableHasher.mix(id(peer) << 48 ^ next << 24 ^ match)
                }
                h.combine(progress)
            }
            serverHashes[renaming[index]] = h.value
        }
        var state = StableHasher()
        state.combine(extra)
        for value in serverHashes { state.combine(value) }
        var network: UInt64 = 0
        for message in messages {
            var h = StableHasher()
            h.combine(message.invariant)
            h.combine(id(message.from))
            h.combine(id(message.to))
            h.combine(message.named.map { id($0) + 1 } ?? 0)
            network &+= StableHasher.mix(h.value)
        }
        state.combine(network)
        var leaderHash: UInt64 = 0
        for (term, leader) in leaders {
            leaderHash &+= StableHasher.mix(term << 16 | id(leader))
        }
        state.combine(leaderHash)
        state.combine(history)
        return state.value
    }

    private static func part(_ envelope: Envelope) -> MessagePart {
        var h = StableHasher()
        var named: ServerID?
        switch envelope.message {
        case .requestVote(let m):
            h.combine(1)
            h.combine(UInt64(m.term))
            h.combine(UInt64(m.lastLogIndex))
            h.combine(UInt64(m.lastLogTerm))
            named = m.candidate
        case .requestVoteResponse(let m):
            h.combine(2)
            h.combine(UInt64(m.term))
            h.combine(m.granted ? 1 : 0)
        case .appendEntries(let m):
            h.combine(3)
            h.combine(UInt64(m.term))
            h.combine(UInt64(m.prevLogIndex))
            h.combine(UInt64(m.prevLogTerm))
            h.combine(UInt64(m.leaderCommit))
            h.combine(UInt64(m.entries.count))
            for entry in m.entries {
                h.combine(UInt64(entry.term))
                h.combine(StableHasher.hash(entry.value))
            }
            named = m.leader
        case .appendEntriesResponse(let m):
            h.combine(4)
            h.combine(UInt64(m.term))
            h.combine(m.success ? 1 : 0)
            h.combine(UInt64(m.matchIndex))
        }
        return MessagePart(invariant: h.value, from: envelope.from, to: envelope.to, named: named)
    }
}

/// A hash that is the same in every process (Swift's `Hasher` is seeded per run),
/// so state counts are reproducible.
struct StableHasher {
    private(set) var value: UInt64 = 0x243F_6A88_85A3_08D3

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func combine(_ x: UInt64) {
        value = Self.mix(value ^ x) &+ 0x632B_E59B_D9B4_E019
    }

    static func hash(_ text: String) -> UInt64 {
        var h = StableHasher()
        for byte in text.utf8 { h.combine(UInt64(byte)) }
        return h.value
    }
}

/// Every permutation of 0..<n, in a fixed order (Heap's algorithm).
enum Permutations {
    static func forEach(of n: Int, _ body: ([Int]) -> Void) {
        var items = Array(0..<n)
        var counters = Array(repeating: 0, count: n)
        body(items)
        var i = 0
        while i < n {
            if counters[i] < i {
                items.swapAt(i % 2 == 0 ? 0 : counters[i], i)
                body(items)
                counters[i] += 1
                i = 0
            } else {
                counters[i] = 0
                i += 1
            }
        }
    }
}
