/// What a leader tracks per follower (Figure 2, "volatile state on leaders").
public struct Leadership: Hashable, Sendable {
    /// One follower's nextIndex and matchIndex, and whether the leader heard from
    /// it since its last CheckQuorum check (thesis 6.2). In the leader's own slot,
    /// that flag says whether it counts at all (see `heardFrom`).
    public struct Progress: Hashable, Sendable {
        public internal(set) var nextIndex: Int
        public internal(set) var matchIndex: Int
        public internal(set) var heardSinceCheck: Bool

        public init(nextIndex: Int, matchIndex: Int, heardSinceCheck: Bool = false) {
            self.nextIndex = nextIndex
            self.matchIndex = matchIndex
            self.heardSinceCheck = heardSinceCheck
        }
    }

    /// Indexed by `ServerID.index`; the leader's own slot is unused. One array of
    /// pairs rather than Figure 2's two arrays: a leader takes this state out of its
    /// role to update it on every response, and each array it takes out is a
    /// buffer to retain and release.
    public internal(set) var progress: [Progress]
    /// The votes that made it leader, and any granted after it won.
    public internal(set) var votes: ServerSet
    /// The leadership transfer in progress (thesis 3.10), if any.
    public internal(set) var transfer: Transfer?

    /// A leader handing leadership to `target`.
    public struct Transfer: Hashable, Sendable {
        public let target: ServerID
        /// TimeoutNow goes out once, when the target has every entry.
        public internal(set) var sentTimeoutNow: Bool

        public init(target: ServerID, sentTimeoutNow: Bool) {
            self.target = target
            self.sentTimeoutNow = sentTimeoutNow
        }
    }

    public init(progress: [Progress], votes: ServerSet, heardFrom: ServerSet = ServerSet(), transfer: Transfer? = nil) {
        self.progress = progress
        self.votes = votes
        self.transfer = transfer
        for index in self.progress.indices {
            self.progress[index].heardSinceCheck = heardFrom.contains(ServerID(index))
        }
    }

    /// A new leader's: every follower's nextIndex just past the leader's log, matchIndex 0.
    init(clusterSize: Int, nextIndex: Int, votes: ServerSet, countsContact: Bool) {
        // Built by `map`, which the compiler specializes: `Array(repeating:count:)`
        // allocates through the standard library's unspecialized code, which looks
        // the array's type up at run time, several times the cost of the allocation.
        progress = (0..<clusterSize).map { index in
            Progress(nextIndex: nextIndex, matchIndex: 0, heardSinceCheck: countsContact && votes.contains(ServerID(index)))
        }
        self.votes = votes
    }

    /// CheckQuorum (thesis 6.2): the servers it has heard from since its last
    /// check, itself included; empty while it is not counting (elected with
    /// CheckQuorum off, until it first hears from a peer or checks). Kept as a
    /// flag beside each server's progress: a set of its own would be a third
    /// buffer for every copy of a leader's role to retain and release.
    public var heardFrom: ServerSet {
        ServerSet(progress.indices.lazy.filter { progress[$0].heardSinceCheck }.map(ServerID.init))
    }

    /// Figure 2's nextIndex[], indexed by `ServerID.index`.
    public var nextIndex: [Int] { progress.map(\.nextIndex) }

    /// Figure 2's matchIndex[], indexed by `ServerID.index`.
    public var matchIndex: [Int] { progress.map(\.matchIndex) }

    /// The highest log index stored on a majority of the cluster: the leader's
    /// own log counts up to its `leaderLastIndex`, every follower up to its
    /// matchIndex. The N of the commit rule (Figure 2, "Rules for Servers",
    /// Leaders) before its term is checked.
    ///
    /// The majority-th highest of those indexes, found by sorting them in a
    /// buffer on the stack: a leader asks on every successful AppendEntries
    /// response, and an array would be allocated each time.
    public func highestIndexStoredOnMajority(leader: ServerID, leaderLastIndex: Int, majority: Int) -> Int {
        let size = progress.count
        precondition(majority >= 1 && majority <= size, "a majority of the cluster's servers")
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: size) { buffer in
            var stored = buffer
            for i in 0..<size {
                stored[i] = i == leader.index ? leaderLastIndex : progress[i].matchIndex
            }
            // Ascending, and the majority-th highest counted from the end: sorting
            // by `>` calls a closure per comparison unless the build is optimized
            // at link time.
            stored.sort()
            return stored[size - majority]
        }
    }
}

extension Leadership.Progress {
    /// The follower stores the leader's entries through `index`: neither index
    /// goes back, as a late response may report less than an earlier one.
    mutating func recordStored(through index: Int) {
        matchIndex = max(matchIndex, index)
        nextIndex = max(nextIndex, index + 1)
    }

    /// The follower refused an AppendEntries: try one entry earlier next time
    /// (section 5.3), never before the first. Returns the new nextIndex.
    mutating func backOff() -> Int {
        nextIndex = max(1, nextIndex - 1)
        return nextIndex
    }
}

extension Server {
    /// Changes a leader's per-follower state in place and returns what `change`
    /// returns. The role is a follower's while `change` runs, so that the enum does
    /// not hold a second reference to the leader's arrays, which would make
    /// changing them copy them.
    @inline(__always)
    mutating func updateLeadership<Result>(_ change: (inout Leadership) -> Result) -> Result {
        guard case .leader(var leadership) = role else { preconditionFailure("only a leader has leadership state") }
        role = .follower
        defer { role = .leader(leadership) }
        return change(&leadership)
    }
}

