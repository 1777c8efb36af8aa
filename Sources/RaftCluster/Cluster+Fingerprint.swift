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
        guard symmetry, size > 1 else {
            return Fingerprint(canonical: fingerprint(renaming: Array(0..<size), extra: extra), orbit: 1)
        }
        var seen: Set<UInt64> = []
        var best = UInt64.max
        Permutations.forEach(of: size) { renaming in
            let value = fingerprint(renaming: renaming, extra: extra)
            seen.insert(value)
            best = min(best, value)
        }
        return Fingerprint(canonical: best, orbit: seen.count)
    }

    /// `renaming[i]` is the new position of server i.
    func fingerprint(renaming: [Int], extra: UInt64) -> UInt64 {
        func id(_ server: ServerID) -> UInt64 { UInt64(renaming[server.index]) }
        var serverHashes = Array(repeating: UInt64(0), count: size)
        for server in servers {
            var h = StableHasher()
            h.combine(isUp[server.id.index] ? 1 : 0)
            h.combine(UInt64(server.currentTerm))
            h.combine(server.votedFor.map { id($0) + 1 } ?? 0)
            h.combine(UInt64(server.commitIndex))
            h.combine(UInt64(server.log.lastIndex))
            for entry in server.log.entries {
                h.combine(UInt64(entry.term))
                h.combine(StableHasher.hash(entry.value))
            }
            switch server.role {
            case .follower:
                h.combine(1)
            case .candidate(let votes):
                h.combine(2)
                h.combine(votes.members.reduce(0) { $0 | 1 << id($1) })
            case .leader(let leadership):
                h.combine(3)
                h.combine(leadership.votes.members.reduce(0) { $0 | 1 << id($1) })
                var next = Array(repeating: UInt64(0), count: size), match = next
                for peer in server.peers {
                    next[renaming[peer.index]] = UInt64(leadership.nextIndex[peer.index])
                    match[renaming[peer.index]] = UInt64(leadership.matchIndex[peer.index])
                }
                for i in 0..<size {
                    h.combine(next[i])
                    h.combine(match[i])
                }
            }
            serverHashes[renaming[server.id.index]] = h.value
        }
        var state = StableHasher()
        state.combine(extra)
        for value in serverHashes { state.combine(value) }
        var network: UInt64 = 0
        for message in self.network.messages {
            network &+= StableHasher.mix(Self.hash(message.envelope, id))
        }
        state.combine(network)
        var leaders: UInt64 = 0
        for (term, leader) in safety.leaders {
            leaders &+= StableHasher.mix(UInt64(term) << 16 | id(leader))
        }
        state.combine(leaders)
        for entry in safety.committed {
            state.combine(UInt64(entry.entry.term))
            state.combine(StableHasher.hash(entry.entry.value))
            state.combine(UInt64(entry.committedInTerm))
        }
        return state.value
    }

    private static func hash(_ envelope: Envelope, _ id: (ServerID) -> UInt64) -> UInt64 {
        var h = StableHasher()
        h.combine(id(envelope.from))
        h.combine(id(envelope.to))
        switch envelope.message {
        case .requestVote(let m):
            h.combine(1)
            h.combine(UInt64(m.term))
            h.combine(id(m.candidate))
            h.combine(UInt64(m.lastLogIndex))
            h.combine(UInt64(m.lastLogTerm))
        case .requestVoteResponse(let m):
            h.combine(2)
            h.combine(UInt64(m.term))
            h.combine(m.granted ? 1 : 0)
        case .appendEntries(let m):
            h.combine(3)
            h.combine(UInt64(m.term))
            h.combine(id(m.leader))
            h.combine(UInt64(m.prevLogIndex))
            h.combine(UInt64(m.prevLogTerm))
            h.combine(UInt64(m.leaderCommit))
            h.combine(UInt64(m.entries.count))
            for entry in m.entries {
                h.combine(UInt64(entry.term))
                h.combine(StableHasher.hash(entry.value))
            }
        case .appendEntriesResponse(let m):
            h.combine(4)
            h.combine(UInt64(m.term))
            h.combine(m.success ? 1 : 0)
            h.combine(UInt64(m.matchIndex))
        }
        return h.value
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
