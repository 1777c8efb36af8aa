import RaftCore

/// Checks the safety properties of Figure 3 as the run goes, looking only at
/// what each event changed.
///
/// Raft's guarantees are about the whole run, so the checker keeps history: every
/// (term, leader) ever seen and every entry ever committed. A property broken
/// once stays broken. Each observation costs work proportional to the entries
/// the event added or committed (times the number of servers for Log Matching),
/// never to the messages in flight or the length of unchanged logs.
public struct SafetyChecker: Hashable, Sendable {
    /// What a server looked like before an event, to see what the event changed.
    public struct Before: Sendable {
        let role: RoleKind
        let term: Int
        let commitIndex: Int

        public init(_ server: Server) {
            role = server.role.kind
            term = server.currentTerm
            commitIndex = server.commitIndex
        }
    }

    @usableFromInline
    struct CommittedEntry: Hashable, Sendable {
        @usableFromInline var entry: LogEntry
        /// The term of the server that first committed it: leaders of later terms must hold it.
        @usableFromInline var committedInTerm: Int
        @usableFromInline var committedBy: ServerID
    }

    /// The leader of each term that had one.
    @usableFromInline var leaders: [Int: ServerID] = [:]
    /// The entry committed at each index (position index - 1).
    @usableFromInline var committed: [CommittedEntry] = []
    /// The first violations found, oldest first (bounded: the first says what broke).
    public private(set) var violations: [SafetyViolation] = []
    private static let violationsKept = 16
    /// For each server (by position), how many committed entries its log is known
    /// to hold, unchanged since they were checked: a new leader's log is compared
    /// with the committed entries only past that, so an election costs what the
    /// log changed, not the length of the history. A cache: not part of equality.
    private var heldThrough: [Int] = []

    public init() {}

    public var isSafe: Bool { violations.isEmpty }

    /// The number of distinct terms that had a leader.
    public var electedTerms: Int { leaders.count }

    /// The number of indexes committed anywhere.
    public var committedCount: Int { committed.count }

    /// Records what happened to `servers[id]`; `logChangedFrom` is the lowest index
    /// whose entry changed, if any; `isUp` tells which servers count as live leaders.
    ///
    /// Always inlined into the cluster's step, which it follows on every event: the
    /// checks below are then skipped at the cost of a few comparisons.
    @inline(__always)
    public mutating func observe(_ id: ServerID, before: Before, logChangedFrom: Int?, servers: [Server], isUp: [Bool]) {
        // The server is read in place (`servers[id.index]`), never copied out, and
        // the checks below are handed its position, not the server: this runs after
        // every event, and a copy retains its log and role.
        if let from = logChangedFrom {
            forgetHeld(id, from: from)
            checkLogMatching(id, from: from, servers: servers)
            checkCommittedEntriesStillThere(id, from: from, committedBefore: before.commitIndex, servers: servers)
        }
        if servers[id.index].commitIndex > before.commitIndex {
            recordCommits(id, after: before.commitIndex, servers: servers, isUp: isUp)
        }
        if servers[id.index].role.kind == .leader {
            let term = servers[id.index].currentTerm
            if before.role != .leader || before.term != term {
                recordLeader(id, term: term)
                checkLeaderCompleteness(id, from: held(id) + 1, servers: servers)
            } else if let from = logChangedFrom {
                // Below `from` the log is what was checked when it took office, or
                // when those entries were committed, or when it last changed there.
                checkLeaderCompleteness(id, from: from, servers: servers)
            }
        }
    }

    private mutating func report(_ violation: SafetyViolation) {
        if violations.count < Self.violationsKept, !violations.contains(violation) {
            violations.append(violation)
        }
    }

    /// One hash lookup in the usual case (a term's first leader); a second leader
    /// puts the first back, as the first is the one the history keeps.
    private mutating func recordLeader(_ id: ServerID, term: Int) {
        if let first = leaders.updateValue(id, forKey: term), first != id {
            leaders[term] = first
            report(.twoLeaders(term: term, first: first, second: id))
        }
    }

    /// An entry at index i agrees with every other log holding the same (i, term)
    /// on its value and on the term before it; by induction over the indexes that
    /// makes the logs identical up to i.
    private mutating func checkLogMatching(_ id: ServerID, from: Int, servers: [Server]) {
        let log = servers[id.index].log
        guard from <= log.lastIndex else { return }
        for index in from...log.lastIndex {
            let entry = log[index]
            let previousTerm = log.term(at: index - 1)
            for other in servers.indices where other != id.index && servers[other].log.term(at: index) == entry.term {
                if servers[other].log[index].value != entry.value || servers[other].log.term(at: index - 1) != previousTerm {
                    report(.logsDiverge(index: index, term: entry.term, server: id, other: ServerID(other)))
                }
            }
        }
    }

    /// A log that changed at or below its commit index must still hold what it had
    /// committed (entries it commits in this same event are `recordCommits`' business).
    private mutating func checkCommittedEntriesStillThere(_ id: ServerID, from: Int, committedBefore: Int, servers: [Server]) {
        let committedStill = min(servers[id.index].commitIndex, committedBefore)
        let lastIndex = servers[id.index].log.lastIndex
        guard from <= committedStill else { return }
        if committedStill > lastIndex {
            report(.lostCommittedEntry(server: id, index: committedStill, lastIndex: lastIndex))
        }
        let upTo = min(committedStill, lastIndex, committed.count)
        guard from <= upTo else { return }
        for index in from...upTo {
            compareWithCommitted(id, index: index, servers: servers)
        }
    }

    private mutating func compareWithCommitted(_ id: ServerID, index: Int, servers: [Server]) {
        let known = committed[index - 1]
        let entry = servers[id.index].log[index]
        if known.entry != entry {
            report(.conflictingCommit(
                index: index, server: id, term: entry.term, committedBy: known.committedBy, committedEntryTerm: known.entry.term
            ))
        }
    }

    private mutating func recordCommits(_ id: ServerID, after previous: Int, servers: [Server], isUp: [Bool]) {
        let commitIndex = servers[id.index].commitIndex, lastIndex = servers[id.index].log.lastIndex
        let upTo = min(commitIndex, lastIndex)
        if commitIndex > lastIndex {
            report(.lostCommittedEntry(server: id, index: commitIndex, lastIndex: lastIndex))
        }
        guard previous < upTo else { return }
        for index in (previous + 1)...upTo {
            if index <= committed.count {
                compareWithCommitted(id, index: index, servers: servers)
                continue
            }
            let entry = CommittedEntry(
                entry: servers[id.index].log[index], committedInTerm: servers[id.index].currentTerm, committedBy: id
            )
            committed.append(entry)
            for other in servers.indices where servers[other].currentTerm > entry.committedInTerm && isUp[other] {
                if servers[other].role.kind == .leader, !holds(servers[other].log, entry, at: index) {
                    report(.leaderMissesCommittedEntry(
                        leader: ServerID(other), leaderTerm: servers[other].currentTerm, index: index, committedTerm: entry.committedInTerm
                    ))
                }
            }
        }
    }

    /// Every entry committed in an earlier term must be in the log of this leader;
    /// looks at the indexes from `from` on, and remembers how far the log holds them all.
    private mutating func checkLeaderCompleteness(_ leader: ServerID, from: Int, servers: [Server]) {
        guard from <= committed.count else { return }
        let leaderTerm = servers[leader.index].currentTerm
        var heldSoFar = from - 1 == held(leader)
        for index in from...committed.count {
            let isHeld = holds(servers[leader.index].log, committed[index - 1], at: index)
            if heldSoFar, isHeld { setHeld(leader, through: index) } else { heldSoFar = false }
            if !isHeld, committed[index - 1].committedInTerm < leaderTerm {
                report(.leaderMissesCommittedEntry(
                    leader: leader, leaderTerm: leaderTerm, index: index, committedTerm: committed[index - 1].committedInTerm
                ))
            }
        }
    }

    private func held(_ id: ServerID) -> Int {
        id.index < heldThrough.count ? heldThrough[id.index] : 0
    }

    private mutating func setHeld(_ id: ServerID, through index: Int) {
        while heldThrough.count <= id.index { heldThrough.append(0) }
        heldThrough[id.index] = index
    }

    /// The log of `id` changed from index `from` on: what it held there is unknown again.
    private mutating func forgetHeld(_ id: ServerID, from: Int) {
        if held(id) >= from { heldThrough[id.index] = from - 1 }
    }

    private func holds(_ log: Log, _ committedEntry: CommittedEntry, at index: Int) -> Bool {
        index <= log.lastIndex && log[index] == committedEntry.entry
    }
}

/// Equal histories are equal whatever the checker has cached about them.
extension SafetyChecker {
    public static func == (lhs: SafetyChecker, rhs: SafetyChecker) -> Bool {
        lhs.leaders == rhs.leaders && lhs.committed == rhs.committed && lhs.violations == rhs.violations
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(leaders)
        hasher.combine(committed)
        hasher.combine(violations)
    }
}
