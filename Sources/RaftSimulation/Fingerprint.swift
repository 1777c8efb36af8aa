import RaftCluster
import RaftCore

/// A 64-bit fingerprint of a cluster's state up to a renaming of its servers,
/// for exhaustive exploration: states that differ only in which server is
/// called what are one state.
///
/// What counts is what `Cluster.visitStoredState` visits: every server's Raft
/// state and whether it is up, the messages in flight as a multiset (exploration
/// may deliver any of them, so their order does not matter), and the safety
/// history (leaders per term, committed entries; not who committed them), since
/// a future violation can depend on it.
extension Cluster {
    public struct Fingerprint: Sendable {
        /// The smallest fingerprint over the renamings that put servers in order of
        /// their renaming-independent traits: equal for symmetric states.
        public var canonical: UInt64
        /// How many different states the renamings give: the states this one stands for.
        public var orbit: Int
    }

    /// Up to 20 servers (20! is the largest orbit an Int counts); exhaustive
    /// search covers far fewer.
    public func fingerprint(symmetry: Bool, extra: UInt64 = 0) -> Fingerprint {
        var scratch = FingerprintScratch()
        return fingerprint(symmetry: symmetry, extra: extra, scratch: &scratch)
    }

    /// The same, reusing buffers: a search fingerprints every state it generates.
    public func fingerprint(symmetry: Bool, extra: UInt64, scratch: inout FingerprintScratch) -> Fingerprint {
        precondition(size <= 20, "fingerprints cover clusters of up to 20 servers")
        scratch.load(self, fromExpanded: false, changing: nil)
        return scratch.fingerprint(symmetry: symmetry, extra: extra)
    }

    /// The fingerprint of a successor of the state `scratch.expand` was last given,
    /// reached by a step that changed `server` alone (nil: none) and the messages
    /// in flight: only that server and the new messages are visited, the rest is
    /// the expanded state's parts. A search expands each state into a few
    /// successors, and a step changes one server of them.
    func fingerprint(successorChanging server: ServerID?, symmetry: Bool, extra: UInt64, scratch: inout FingerprintScratch) -> Fingerprint {
        scratch.load(self, fromExpanded: true, changing: server)
        let fingerprint = scratch.fingerprint(symmetry: symmetry, extra: extra)
        // Checked against the whole visit in debug builds, for one successor in
        // sixteen (picked by the fingerprint, so the same ones on every run): the
        // tests' searches then check thousands without taking twice as long.
        assert(
            fingerprint.canonical & 0xF != 0 || fingerprint.canonical == self.fingerprint(symmetry: symmetry, extra: extra).canonical,
            "a step changed a server it does not name"
        )
        return fingerprint
    }
}

extension FingerprintScratch {
    /// Visits `state` whole and keeps its parts, for the fingerprints of its
    /// successors (`Cluster.fingerprint(successorChanging:…)`).
    mutating func expand(_ state: Cluster) {
        load(state, fromExpanded: false, changing: nil)
        swap(&parts, &expanded)
    }

    fileprivate mutating func fingerprint(symmetry: Bool, extra: UInt64) -> Cluster.Fingerprint {
        guard symmetry, size > 1 else {
            for index in 0..<size { renaming[index] = index }
            return Cluster.Fingerprint(canonical: combine(extra: extra), orbit: 1)
        }
        return canonical(extra: extra)
    }
}

/// The pieces of a fingerprint, split into what a renaming of servers leaves
/// alone (logs, terms, message bodies: hashed once) and the server ids it
/// changes (mixed in per renaming), in buffers kept from one state to the next.
///
/// Trying all n! renamings would cost 120 combinations per state for 5 servers.
/// Instead servers are sorted by a key that no renaming changes (their own
/// state and what they send and receive, without ids), and only servers with
/// equal keys are permuted among themselves: usually one combination.
public struct FingerprintScratch {
    private var size = 0
    /// The parts of the state being fingerprinted.
    fileprivate var parts = Parts()
    /// The parts of the state being expanded (`expand`), which its successors
    /// share but for the server a step changed and the messages it sent.
    fileprivate var expanded = Parts()
    private var leaders = ScratchList<(term: UInt64, leader: Int)>()
    /// The links cut one way, as (sender, receiver).
    private var cuts = ScratchList<(from: Int, to: Int)>()
    private var history = StableHasher()
    /// The hashes of the client values seen last: a search has a handful, and
    /// comparing a short string costs less than hashing it.
    private var valueHashes: [(value: String, hash: UInt64)] = []

    /// What the visit is in: server i's state (i ≥ 0), a message (-1), or neither (-2).
    private var visiting = -2
    /// The hash of the server or message being visited.
    private var part = StableHasher()
    /// The message being visited, filed by `endPart` (kept apart until then, so
    /// that visiting it writes no array).
    private var message = MessagePart(invariant: 0, from: 0, to: 0, named: -1, sequence: 0, keyOfSender: 0, keyOfReceiver: 0)

    private var keys: [UInt64] = []
    /// Servers in key order; a renaming gives `order[p]` the name of position p.
    private var order: [Int] = []
    /// Runs of equal keys in `order`, the only servers a canonical renaming may permute.
    private var ties: [Range<Int>] = []
    fileprivate var renaming: [Int] = []
    private var serverHashes: [UInt64] = []

    /// What is hashed apart per server and per message, to be combined under renamings.
    fileprivate struct Parts {
        /// Per server, the hash of what no renaming changes: whether it is up and
        /// every number, flag and entry of its state.
        var invariant: [UInt64] = []
        /// Per server, its part of its key (`ownKey`).
        var ownKey: [UInt64] = []
        /// The servers each server's state names (votedFor), in visit order, -1 for
        /// none: server i's are `named[namedStart[i]..<namedStart[i + 1]]`.
        var named = ScratchList<Int>()
        var namedStart: [Int] = []
        /// The sets of servers in each server's state (votes), one bit per member's index.
        var sets = ScratchList<UInt64>()
        var setStart: [Int] = []
        var isLeader: [Bool] = []
        /// A leader's nextIndex and matchIndex for each peer: `progress[leader * size + peer]`.
        var progress: [(next: UInt64, match: UInt64)] = []
        /// The messages in flight, in send order.
        var messages = ScratchList<MessagePart>()

        init(size n: Int = 0) {
            invariant = Array(repeating: 0, count: n)
            ownKey = Array(repeating: 0, count: n)
            namedStart = Array(repeating: 0, count: n + 1)
            setStart = Array(repeating: 0, count: n + 1)
            isLeader = Array(repeating: false, count: n)
            progress = Array(repeating: (0, 0), count: n * n)
        }
    }

    fileprivate struct MessagePart {
        var invariant: UInt64
        var from: Int
        var to: Int
        /// The candidate of a RequestVote, the leader of an AppendEntries; -1 otherwise.
        var named: Int
        /// Its sequence number, which it keeps in the successors of a state.
        var sequence: Int
        /// Its parts of its sender's and its receiver's keys (`sortByKey`),
        /// which no renaming changes: kept with it, for the successors that
        /// still have it in flight.
        var keyOfSender: UInt64
        var keyOfReceiver: UInt64
    }

    public init() {}

    /// Visits `cluster` into `parts`: every server and message, or, for a
    /// successor of the state `expand` was given, only server `changed` and the
    /// messages that state did not have.
    fileprivate mutating func load(_ cluster: Cluster, fromExpanded: Bool, changing changed: ServerID?) {
        let n = cluster.size
        if size != n {
            size = n
            parts = Parts(size: n)
            expanded = Parts(size: n)
            keys = Array(repeating: 0, count: n)
            order = Array(0..<n)
            renaming = Array(0..<n)
            serverHashes = Array(repeating: 0, count: n)
        }
        parts.named.removeAll()
        parts.sets.removeAll()
        parts.messages.removeAll()
        leaders.removeAll()
        cuts.removeAll()
        history = StableHasher()
        visiting = -2
        for index in 0..<n {
            if fromExpanded, index != changed?.index {
                copyExpandedServer(index)
            } else {
                cluster.visitStoredState(ofServer: ServerID(index), &self)
                endPart()
            }
        }
        // Both lists are in send order: a message of the expanded state still in
        // flight is found by walking its list alongside.
        // Only a message it did not have is copied out of the network to be visited.
        var kept = 0
        cluster.network.forEachSequenceInFlight { sequence in
            if fromExpanded {
                while kept < expanded.messages.count, expanded.messages[kept].sequence < sequence { kept += 1 }
                if kept < expanded.messages.count, expanded.messages[kept].sequence == sequence {
                    parts.messages.append(expanded.messages[kept])
                    return
                }
            }
            cluster.visitStoredState(of: cluster.network[sequence]!, &self)
            self.message.sequence = sequence
            endPart()
        }
        cluster.visitStoredHistory(&self)
    }

    /// Server `index`'s parts as in the expanded state.
    private mutating func copyExpandedServer(_ index: Int) {
        parts.invariant[index] = expanded.invariant[index]
        parts.ownKey[index] = expanded.ownKey[index]
        for position in expanded.namedStart[index]..<expanded.namedStart[index + 1] {
            parts.named.append(expanded.named[position])
        }
        parts.namedStart[index + 1] = parts.named.count
        for position in expanded.setStart[index]..<expanded.setStart[index + 1] {
            parts.sets.append(expanded.sets[position])
        }
        parts.setStart[index + 1] = parts.sets.count
        parts.isLeader[index] = expanded.isLeader[index]
        if expanded.isLeader[index] {
            for slot in index * size..<(index + 1) * size { parts.progress[slot] = expanded.progress[slot] }
        }
    }

    /// Files the hash of the server or message just visited.
    @inline(__always) private mutating func endPart() {
        if visiting >= 0 {
            parts.invariant[visiting] = part.value
            parts.namedStart[visiting + 1] = parts.named.count
            parts.setStart[visiting + 1] = parts.sets.count
            parts.ownKey[visiting] = ownKey(of: visiting)
        } else if visiting == -1 {
            message.invariant = part.value
            let named: UInt64 = message.named == -1 ? 0 : message.named == message.from ? 1 : 2
            message.keyOfSender = StableHasher.mix(message.invariant ^ named << 1 | 1)
            message.keyOfReceiver = StableHasher.mix(message.invariant ^ named << 1)
            parts.messages.append(message)
        }
        visiting = -2
    }

    private func mask(_ set: ServerSet) -> UInt64 {
        var bits: UInt64 = 0
        for index in 0..<size where set.contains(ServerID(index)) { bits |= 1 << UInt64(index) }
        return bits
    }

    /// The minimum over the renamings that sort servers by key, and how many states they stand for.
    fileprivate mutating func canonical(extra: UInt64) -> Cluster.Fingerprint {
        sortByKey()
        var best = UInt64.max
        var automorphisms = 0
        repeat {
            for position in 0..<size { renaming[order[position]] = position }
            let value = combine(extra: extra)
            if value < best {
                best = value
                automorphisms = 1
            } else if value == best {
                automorphisms += 1
            }
        } while nextTieOrder()
        // The renamings that give the same state as the canonical one are the
        // state's automorphisms; the n! renamings give n!/|automorphisms| states.
        return Cluster.Fingerprint(canonical: best, orbit: factorial(size) / automorphisms)
    }

    /// Server `index`'s part of its key (`sortByKey`), from its own parts alone:
    /// its state, how it relates to itself (voted for itself, in its own vote
    /// set) and its leader's progress, kept with them so that a successor that
    /// did not change the server reuses it.
    private func ownKey(of index: Int) -> UInt64 {
        let n = size
        var h = StableHasher()
        h.combine(parts.invariant[index])
        // By position, not by slice: a slice of an array retains its buffer.
        for position in parts.namedStart[index]..<parts.namedStart[index + 1] {
            let server = parts.named[position]
            h.combine(server == -1 ? 0 : server == index ? 1 : 2)
        }
        for position in parts.setStart[index]..<parts.setStart[index + 1] {
            let set = parts.sets[position]
            h.combine(UInt64(set.nonzeroBitCount))
            h.combine(set >> UInt64(index) & 1)
        }
        if parts.isLeader[index] {
            var peers: UInt64 = 0
            for peer in 0..<n where peer != index {
                peers &+= StableHasher.mix(parts.progress[index * n + peer].next << 24 ^ parts.progress[index * n + peer].match)
            }
            h.combine(peers)
        }
        return h.value
    }

    /// A key per server that no renaming changes: its own state, how it relates to
    /// itself (voted for itself, in its own vote set), and what it sent, receives
    /// and led, with every other server's id left out.
    private mutating func sortByKey() {
        let n = size
        for index in 0..<n { keys[index] = parts.ownKey[index] }
        for message in parts.messages {
            keys[message.from] &+= message.keyOfSender
            keys[message.to] &+= message.keyOfReceiver
        }
        for (term, leader) in leaders {
            keys[leader] &+= StableHasher.mix(term ^ 0x5EED)
        }
        for cut in cuts {
            keys[cut.from] &+= StableHasher.mix(0xC07 << 1 | 1)
            keys[cut.to] &+= StableHasher.mix(0xC07 << 1)
        }
        // Insertion sort by (key, index): n is at most a handful.
        for position in 0..<n { order[position] = position }
        for position in 1..<n {
            let server = order[position]
            var slot = position
            while slot > 0, keys[order[slot - 1]] > keys[server] {
                order[slot] = order[slot - 1]
                slot -= 1
            }
            order[slot] = server
        }
        ties.removeAll(keepingCapacity: true)
        var start = 0
        for position in 1...n where position == n || keys[order[position]] != keys[order[start]] {
            if position - start > 1 { ties.append(start..<position) }
            start = position
        }
    }

    /// Steps to the next order of servers within the runs of equal keys, like an
    /// odometer; false (with every run back in ascending order) after the last.
    private mutating func nextTieOrder() -> Bool {
        for run in ties.reversed() {
            if order.nextPermutation(in: run) { return true }
        }
        return false
    }

    /// The fingerprint under `renaming` (`renaming[i]` is the new position of server i).
    fileprivate mutating func combine(extra: UInt64) -> UInt64 {
        let n = size
        // The servers a server's state names and its sets, renamed, are packed
        // into words (5 bits a server, n bits a set), mixed in once a word is
        // full and at the end: one or two mixing steps where one each took
        // four or five. How many there are of each follows from the invariant
        // part (the role), so no two states pack alike.
        let setWidth = UInt64(n)
        for index in 0..<n {
            var h = StableHasher()
            h.combine(parts.invariant[index])
            var word: UInt64 = 0, used: UInt64 = 0
            for position in parts.namedStart[index]..<parts.namedStart[index + 1] {
                let server = parts.named[position]
                if used + 5 > 64 {
                    h.combine(word)
                    word = 0
                    used = 0
                }
                word |= (server == -1 ? 0 : UInt64(renaming[server]) + 1) &<< used
                used += 5
            }
            for position in parts.setStart[index]..<parts.setStart[index + 1] {
                let set = parts.sets[position]
                var renamedSet: UInt64 = 0
                var remaining = set
                while remaining != 0 {
                    renamedSet |= 1 &<< UInt64(renaming[remaining.trailingZeroBitCount])
                    remaining &= remaining - 1
                }
                if used + setWidth > 64 {
                    h.combine(word)
                    word = 0
                    used = 0
                }
                word |= renamedSet &<< used
                used += setWidth
            }
            h.combine(word)
            if parts.isLeader[index], n > 1 {
                var peers: UInt64 = 0
                for peer in 0..<n where peer != index {
                    let (next, match) = parts.progress[index * n + peer]
                    peers &+= StableHasher.mix(UInt64(renaming[peer]) << 48 ^ next << 24 ^ match)
                }
                h.combine(peers)
            }
            serverHashes[renaming[index]] = h.value
        }
        var state = StableHasher()
        state.combine(extra)
        for value in serverHashes { state.combine(value) }
        var network: UInt64 = 0
        for message in parts.messages {
            // Its renamed link and server in one word (ids fit 16 bits), mixed
            // with its invariant hash in one step, where one per field took five:
            // the invariant hash is as good as random, so two messages give the
            // same word only when their invariants and their servers are the same.
            let named: UInt64 = message.named == -1 ? 0 : UInt64(renaming[message.named]) + 1
            let servers = UInt64(renaming[message.from]) | UInt64(renaming[message.to]) << 16 | named << 32
            network &+= StableHasher.mix(message.invariant ^ servers)
        }
        state.combine(network)
        var leaderHash: UInt64 = 0
        for (term, leader) in leaders {
            leaderHash &+= StableHasher.mix(term << 16 | UInt64(renaming[leader]))
        }
        state.combine(leaderHash)
        state.combine(history.value)
        if !cuts.isEmpty {
            var cutHash: UInt64 = 0
            for cut in cuts {
                cutHash &+= StableHasher.mix(UInt64(renaming[cut.from]) << 32 | UInt64(renaming[cut.to]) | 1 << 63)
            }
            state.combine(cutHash)
        }
        return state.value
    }

    private mutating func hash(_ value: String) -> UInt64 {
        if let known = valueHashes.first(where: { $0.value == value }) { return known.hash }
        let hash = StableHasher.hash(value)
        if valueHashes.count == 16 { valueHashes.removeFirst() }
        valueHashes.append((value, hash))
        return hash
    }
}

/// The fingerprint's side of the one listing of a state: each server's and
/// message's numbers, flags and entries hashed as they come, the servers they
/// name kept apart, to be renamed.
extension FingerprintScratch: ClusterStateVisitor {
    @inline(__always) public mutating func beginServer(_ id: ServerID, isUp: Bool) {
        endPart()
        visiting = id.index
        parts.isLeader[id.index] = false
        part = StableHasher()
        part.combine(isUp ? 1 : 0)
    }

    @inline(__always) public mutating func visit(number: Int) {
        part.combine(UInt64(number))
    }

    @inline(__always) public mutating func visit(flag: Bool) {
        part.combine(flag ? 1 : 0)
    }

    @inline(__always) public mutating func visit(server: ServerID?) {
        if visiting >= 0 {
            parts.named.append(server?.index ?? -1)
        } else {
            precondition(message.named == -1, "a message names at most one server")
            message.named = server?.index ?? -1
        }
    }

    @inline(__always) public mutating func visit(servers: ServerSet) {
        precondition(visiting >= 0, "only a server's state holds a set of servers")
        parts.sets.append(mask(servers))
    }

    @inline(__always) public mutating func visit(entries: LogEntries) {
        part.combine(UInt64(entries.count))
        for entry in entries {
            part.combine(UInt64(entry.term))
            part.combine(hash(entry.value))
        }
    }

    @inline(__always) public mutating func visit(progress slots: [Leadership.Progress], of leader: ServerID) {
        parts.isLeader[leader.index] = true
        for peer in 0..<size {
            parts.progress[leader.index * size + peer] = (UInt64(slots[peer].nextIndex), UInt64(slots[peer].matchIndex))
        }
    }

    public mutating func visit(ownFields: OwnFields) {
        part.combine(UInt64(ownFields.fields.count))
        for field in ownFields.fields {
            part.combine(StableHasher.hash(field.name))
            part.combine(StableHasher.hash(field.json))
        }
    }

    @inline(__always) public mutating func beginMessages(count: Int) {
        endPart()
    }

    @inline(__always) public mutating func beginMessage(from: ServerID, to: ServerID) {
        endPart()
        visiting = -1
        part = StableHasher()
        message = MessagePart(invariant: 0, from: from.index, to: to.index, named: -1, sequence: 0, keyOfSender: 0, keyOfReceiver: 0)
    }

    @inline(__always) public mutating func beginLeaders(count: Int) {
        endPart()
    }

    @inline(__always) public mutating func visit(leader: ServerID, ofTerm term: Int) {
        leaders.append((UInt64(term), leader.index))
    }

    @inline(__always) public mutating func beginCommitted(count: Int) {}

    @inline(__always) public mutating func visit(committed entry: LogEntry, inTerm term: Int, by server: ServerID) {
        history.combine(UInt64(entry.term))
        history.combine(hash(entry.value))
        history.combine(UInt64(term))
    }

    @inline(__always) public mutating func beginCuts(count: Int) {}

    public mutating func visit(cutFrom from: ServerID, to: ServerID) {
        cuts.append((from.index, to.index))
    }
}

private func factorial(_ n: Int) -> Int {
    (1...max(n, 1)).reduce(1, *)
}

extension MutableCollection where Self: BidirectionalCollection, Element: Comparable, Index == Int {
    /// Rearranges `self[range]` into the next permutation in ascending order;
    /// false, with the range sorted ascending again, after the last one.
    mutating func nextPermutation(in range: Range<Int>) -> Bool {
        guard range.count > 1 else { return false }
        var i = range.upperBound - 2
        while i >= range.lowerBound, self[i] >= self[i + 1] { i -= 1 }
        if i < range.lowerBound {
            self[range].reverse()
            return false
        }
        var j = range.upperBound - 1
        while self[j] <= self[i] { j -= 1 }
        swapAt(i, j)
        self[(i + 1)..<range.upperBound].reverse()
        return true
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

    /// Eight bytes of UTF-8 per mixing step, then the length.
    static func hash(_ text: String) -> UInt64 {
        var h = StableHasher()
        var word: UInt64 = 0
        var count = 0
        for byte in text.utf8 {
            word |= UInt64(byte) << UInt64(8 * (count & 7))
            count += 1
            if count & 7 == 0 {
                h.combine(word)
                word = 0
            }
        }
        h.combine(word)
        h.combine(UInt64(count))
        return h.value
    }
}

/// A list emptied and filled again for every state fingerprinted: emptying it
/// keeps its elements' memory, and filling it writes over them, where an
/// array's `removeAll(keepingCapacity:)` costs a generic replacement of its
/// whole range each time. Its elements hold no references (numbers), so those
/// past its end need no destroying.
struct ScratchList<Element: BitwiseCopyable>: RandomAccessCollection {
    private var storage: [Element] = []
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always) subscript(position: Int) -> Element {
        storage[position]
    }

    @inline(__always) mutating func append(_ element: Element) {
        if count < storage.count {
            storage[count] = element
        } else {
            storage.append(element)
        }
        count += 1
    }

    mutating func removeAll() {
        count = 0
    }
}
