import Dispatch
import RaftCluster
import RaftCore
import Synchronization

/// The search on several threads (`ExploreOptions.jobs`), level by level, with
/// the serial search's answer: the same states, numbered in the same order, so
/// the same statistics and the same shortest counterexample.
///
/// Each level goes in two phases. First the threads take pieces of the level
/// and expand them: restore a state, step each successor, fingerprint it and
/// keep it, stored, unless an earlier level had it (the fingerprint set is only
/// read meanwhile). Then one thread walks the pieces in order and adds the kept
/// fingerprints to the set: the first of each is a new state, given the next
/// number as the serial search would, and its stored form is the next level's.
/// That walk is the only serial part, one set insertion per new successor.
extension Explorer {
    func exploreInParallel(from start: Cluster, stop: StopRequest?, progress: (Statistics) -> Void) throws(ClusterError) -> Report {
        var search = LevelSearch(explorer: self, start: start, stop: stop)
        let instances = try instancesForJobs()
        defer { for instance in instances.dropFirst() { instance.stop() } }
        return try search.run(instances: instances, progress: progress)
    }

    /// The program's instances that step successors, one per job: the first is
    /// the one the search started with. None for raftsh's own servers.
    private func instancesForJobs() throws(ClusterError) -> [any ServerProgram] {
        guard let program = options.implementation.program else { return [] }
        var instances = [program]
        do throws(ProgramFailure) {
            while instances.count < options.jobs { instances.append(try program.another()) }
        } catch {
            for instance in instances.dropFirst() { instance.stop() }
            throw .program(server: nil, error)
        }
        return instances
    }
}

/// The state of a level-by-level search between levels: what the one thread
/// that numbers states holds.
private struct LevelSearch {
    let explorer: Explorer
    let start: Cluster
    /// Polled by the threads before each state they expand; a level expanded
    /// after a request is not walked, so the statistics are those of the
    /// levels before it.
    let stop: StopRequest?
    var statistics = Explorer.Statistics()
    var visited = FingerprintSet()
    var origins = Origins()
    let values = SharedValueTable(ValueTable())

    init(explorer: Explorer, start: Cluster, stop: StopRequest?) {
        self.explorer = explorer
        self.stop = stop
        var start = start
        start.keepsTime = false  // a search fires timers as events and never ticks
        start.listsLinks = false  // and its few messages in flight cost less to walk than to list by link
        self.start = start
    }

    var options: ExploreOptions { explorer.options }

    /// The memory the fingerprints and origins hold.
    var tableBytes: Int { visited.bytes + origins.bytes }

    mutating func run(instances: [any ServerProgram], progress: (Explorer.Statistics) -> Void) throws(ClusterError) -> Explorer.Report {
        let first = start.fingerprint(symmetry: options.symmetry, extra: 0)
        _ = visited.insert(first.canonical)
        origins.append(parent: nil, code: 0)
        statistics.distinct = 1
        statistics.unreduced = first.orbit
        if let violation = start.safety.violations.first {
            return Explorer.Report(statistics: statistics, failure: .init(steps: [], violation: violation))
        }
        var level = SearchLevel()
        if explorer.withinBounds(start) {
            var writer = StateWriter()
            var coder = SharedValueTable.Coder(values)
            start.write(to: &writer, coding: &coder)
            level.append(.init(bytes: writer.bytes, entries: [.init(offset: 0, index: 0, submitted: 0)]))
        }
        var depth = 0
        while level.count > 0 {
            let pieces = level.pieces
            var expansions = expand(level, pieces, instances: instances)
            if let stop, stop.isRequested {
                statistics.queued = level.count
                return Explorer.Report(statistics: statistics, failure: nil, stopped: true)
            }
            // What the level and its expansions hold until the level is done.
            let held = level.bytes + expansions.reduce(0) { $0 + ($1?.bytes ?? 0) }
            var next = SearchLevel()
            var remaining = level.count
            for (position, piece) in pieces.enumerated() {
                guard let expansion = expansions[position] else { return stopAtMemoryLimit(queued: remaining + next.count, holding: held) }
                expansions[position] = nil  // freed when its candidates are done with
                remaining -= piece.entries.count
                var entries: [SearchLevel.Entry] = []
                for (position, candidate) in expansion.candidates.enumerated() {
                    statistics.generated += Int(candidate.repeatsBefore) + 1
                    guard visited.bytesToAddOne == 0 || fits(visited.bytesToAddOne + held) else {
                        return stopAtMemoryLimit(queued: remaining + next.count + entries.count, holding: held)
                    }
                    guard visited.insert(candidate.fingerprint) else { continue }
                    origins.append(parent: Int(candidate.parent), code: candidate.code)
                    statistics.distinct += 1
                    statistics.unreduced += Int(candidate.orbit)
                    if statistics.depth == depth {
                        statistics.depth = depth + 1
                        statistics.queued = remaining + next.count + entries.count
                        progress(statistics)  // a level begins: `SearchEstimate` reads the sizes of those before
                    }
                    if let violation = expansion.violations[position] {
                        statistics.queued = remaining + next.count + entries.count
                        let steps = explorer.path(to: origins.count - 1, in: origins)
                        return Explorer.Report(statistics: statistics, failure: .init(steps: steps, violation: violation))
                    }
                    if candidate.offset >= 0 {
                        entries.append(.init(offset: UInt32(candidate.offset), index: UInt32(origins.count - 1), submitted: candidate.submitted))
                    }
                    // Less often than the serial search: the walk is the one serial part,
                    // and a progress call every 1024 states cost two jobs about 7%.
                    if statistics.distinct & 0x3FFF == 0 {
                        statistics.queued = remaining + next.count + entries.count
                        statistics.memory = tableBytes + held
                        progress(statistics)
                    }
                }
                statistics.generated += expansion.repeatsAfter
                if let failure = expansion.failure { throw failure.error }
                next.append(.init(bytes: expansion.stored.bytes, entries: entries))
            }
            level = next
            depth += 1
        }
        statistics.queued = 0
        statistics.memory = tableBytes
        return Explorer.Report(statistics: statistics, failure: nil)
    }

    /// Whether the search may hold `more` bytes on top of its tables.
    private func fits(_ more: Int) -> Bool {
        tableBytes + more <= options.memoryLimit
    }

    /// The report of a search that stopped, its tables and its levels `holding` that many bytes more.
    private mutating func stopAtMemoryLimit(queued: Int, holding levels: Int) -> Explorer.Report {
        statistics.queued = queued
        statistics.memory = tableBytes + levels
        return Explorer.Report(statistics: statistics, failure: nil, stoppedAtMemoryLimit: true)
    }

    /// Every piece of `level` expanded, on `options.jobs` threads, by position;
    /// nil from the first piece left undone because the memory limit was reached.
    private func expand(_ level: SearchLevel, _ pieces: [SearchLevel.Piece], instances: [any ServerProgram]) -> [Expansion?] {
        let results = Mutex<[Expansion?]>(Array(repeating: nil, count: pieces.count))
        let nextPiece = Atomic<Int>(0)
        /// The memory the tables, the level and the finished expansions hold
        /// (past the limit once a piece did not fit).
        let held = Atomic<Int>(tableBytes + level.bytes)
        let limit = options.memoryLimit
        let jobs = min(options.jobs, pieces.count)
        // The set is only read while the threads run: each takes a copy of the
        // same storage, released before the set is written again.
        let visited = visited
        let explorer = explorer, start = start, values = values, stop = stop
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            var expander = Expander(
                explorer: explorer, start: start, values: values, instance: instances.isEmpty ? nil : instances[job]
            )
            while true {
                let position = nextPiece.add(1, ordering: .relaxed).oldValue
                guard position < pieces.count, held.load(ordering: .relaxed) <= limit, stop?.isRequested != true else { return }
                let expansion = expander.expand(pieces[position], of: level, visited: visited, stop: stop)
                // A piece that would take the search past its limit is let go, and the level stops there.
                guard held.add(expansion.bytes, ordering: .relaxed).newValue <= limit else {
                    held.add(limit, ordering: .relaxed)  // no thread takes another piece
                    return
                }
                results.withLock { $0[position] = expansion }
            }
        }
        var expansions = results.withLock { results in
            var taken: [Expansion?] = []
            swap(&taken, &results)
            return taken
        }
        // Pieces finished past the first undone one cannot be used: drop them.
        if let undone = expansions.firstIndex(where: { $0 == nil }) {
            for position in undone..<expansions.count { expansions[position] = nil }
        }
        return expansions
    }
}

/// One thread's tools for expanding pieces of a level: its own cluster to
/// restore states into, buffers, and program instance.
private struct Expander {
    let explorer: Explorer
    var state: Cluster
    var coder: SharedValueTable.Coder
    var scratch = FingerprintScratch()
    /// What `state` was last restored from.
    var restored = RestoredServers()
    var trace = Trace(recording: false)
    var steps: [Step] = []
    let instance: (any ServerProgram)?

    init(explorer: Explorer, start: Cluster, values: SharedValueTable, instance: (any ServerProgram)?) {
        self.explorer = explorer
        self.instance = instance
        state = start
        if let instance { state.runSteps(on: instance) }
        coder = SharedValueTable.Coder(values)
    }

    /// The successors of the piece's states that `visited` does not hold, in order.
    mutating func expand(_ piece: SearchLevel.Piece, of level: SearchLevel, visited: FingerprintSet, stop: StopRequest?) -> Expansion {
        let options = explorer.options
        let batch = level.batches[piece.batch]
        var expansion = Expansion()
        expansion.candidates.reserveCapacity(piece.entries.count * 2)
        expansion.stored = StateWriter(reservingCapacity: piece.entries.count * 64)
        var repeats: UInt32 = 0
        // A successor that an earlier one of the piece already reached is a
        // repeat too (the walk would find it in the set): most of a level's
        // repeats are of its own states, reached by the same steps in another
        // order from states stored side by side, so this spares storing them.
        var reachedInPiece = FingerprintSet()
        for entry in batch.entries[piece.entries] {
            var reader = StateReader(batch.bytes, at: Int(entry.offset))
            state.restore(from: &reader, values: coder.local, keeping: &restored)
            if let stop, stop.isRequested { break }  // the level will not be walked
            explorer.successors(of: state, submitted: Int(entry.submitted), into: &steps)
            if let instance { Explorer.askAhead(steps, from: state, of: instance) }
            scratch.expand(state)
            for step in steps {
                var next = state
                do throws(ClusterError) {
                    guard try step.apply(to: &next, trace: &trace) else { continue }
                } catch {
                    expansion.failure = (expansion.candidates.count, error)
                    expansion.repeatsAfter = Int(repeats)
                    return expansion
                }
                let submitted = Int(entry.submitted) + (step.isClientRequest ? 1 : 0)
                let fingerprint = next.fingerprint(
                    successorChanging: step.changedServer, symmetry: options.symmetry, extra: UInt64(submitted), scratch: &scratch
                )
                if visited.contains(fingerprint.canonical) || !reachedInPiece.insert(fingerprint.canonical) {
                    repeats += 1
                    continue
                }
                var offset: Int32 = -1
                if let violation = next.safety.violations.first {
                    expansion.violations[expansion.candidates.count] = violation
                } else if explorer.withinBounds(next) {
                    // States past a bound are checked but never expanded, so never stored.
                    offset = Int32(expansion.stored.bytes.count)
                    next.write(to: &expansion.stored, coding: &coder)
                }
                expansion.candidates.append(.init(
                    fingerprint: fingerprint.canonical, parent: entry.index, code: step.code,
                    orbit: UInt32(fingerprint.orbit), submitted: UInt32(submitted), repeatsBefore: repeats, offset: offset
                ))
                repeats = 0
            }
        }
        expansion.repeatsAfter = Int(repeats)
        return expansion
    }
}
