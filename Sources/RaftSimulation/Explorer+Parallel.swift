import Dispatch
import RaftCluster
import RaftCore
import Synchronization

/// The search on several threads (`ExploreOptions.jobs`), level by level, with
/// the serial search's answer: the same states, numbered in the same order, so
/// the same statistics and the same shortest counterexample.
///
/// The threads take pieces of a level and expand them: restore a state, step
/// each successor, fingerprint it and keep it, stored, unless the fingerprint
/// set has it. Meanwhile the pieces are walked in order, by whichever thread
/// just finished one and finds no other walking: the walk adds the kept
/// fingerprints to the set, and the first of each is a new state, given the
/// next number as the serial search would, its stored form the next level's.
/// The walk is the only serial part; done while the other thread expands, it
/// leaves that core idle only at the end of a level, and a fingerprint it adds
/// spares the threads storing that state again later in the level.
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
    /// Polled by the threads before each state they expand; a search stopped
    /// meanwhile counts the states walked until then.
    let stop: StopRequest?
    var statistics = Explorer.Statistics()
    let visited = SharedFingerprintSet()
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
            // The walk adds to the set while the threads read it only as long as
            // the table need not grow: room for about what the level will add.
            visited.reserve(2 * level.count, within: options.memoryLimit - origins.bytes - level.bytes)
            var walk = LevelWalk(depth: depth, remaining: level.count)
            swap(&walk.statistics, &statistics)
            swap(&walk.origins, &origins)
            let pending = search(level, walk: &walk, instances: instances, progress: progress)
            swap(&walk.statistics, &statistics)
            swap(&walk.origins, &origins)
            if let stop, stop.isRequested, walk.outcome == nil {
                statistics.queued = walk.remaining + walk.next.count
                return Explorer.Report(statistics: statistics, failure: nil, stopped: true)
            }
            switch walk.outcome {
            case nil: break
            case .found(let report): return report
            case .failed(let error): throw error
            case .memoryLimit(let queued):
                statistics.queued = queued
                statistics.memory = visited.bytes + origins.bytes + level.bytes + walk.next.bytes + pending
                return Explorer.Report(statistics: statistics, failure: nil, stoppedAtMemoryLimit: true)
            }
            level = walk.next
            depth += 1
        }
        statistics.queued = 0
        statistics.memory = visited.bytes + origins.bytes
        return Explorer.Report(statistics: statistics, failure: nil)
    }

    /// Expands `level` on `options.jobs` threads and walks its pieces in order
    /// into `walk`: while the threads still expand, whichever finishes a piece
    /// walks the finished ones if no other does (so the walk, the one serial
    /// part, overlaps the expansion), and this thread walks the rest after.
    /// Returns the memory held by expansions left unwalked.
    private func search(
        _ level: SearchLevel, walk: inout LevelWalk, instances: [any ServerProgram], progress: (Explorer.Statistics) -> Void
    ) -> Int {
        let pieces = level.pieces
        let results = Mutex<[Expansion?]>(Array(repeating: nil, count: pieces.count))
        let tables = visited.bytes + walk.origins.bytes
        var taken = LevelWalk(depth: 0, remaining: 0)
        swap(&taken, &walk)
        let shared = Mutex(taken)
        let nextPiece = Atomic<Int>(0)
        /// Set when the walk found a violation or a failure: no thread takes another piece.
        let over = Atomic<Bool>(false)
        /// The memory the tables, the level and the finished expansions hold
        /// (past the limit once a piece did not fit).
        let held = Atomic<Int>(tables + level.bytes)
        let limit = options.memoryLimit
        let jobs = min(options.jobs, pieces.count)
        let explorer = explorer, start = start, values = values, stop = stop, visited = visited
        withoutActuallyEscaping(progress) { progress in
            let progress = WalkProgress(call: progress)
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                var expander = Expander(
                    explorer: explorer, start: start, values: values, instance: instances.isEmpty ? nil : instances[job]
                )
                while true {
                    let position = nextPiece.add(1, ordering: .relaxed).oldValue
                    guard position < pieces.count, held.load(ordering: .relaxed) <= limit, stop?.isRequested != true,
                        !over.load(ordering: .relaxed)
                    else { return }
                    let expansion = expander.expand(pieces[position], of: level, visited: visited, stop: stop)
                    // A piece that would take the search past its limit is let go, and the level stops there.
                    guard held.add(expansion.bytes, ordering: .relaxed).newValue <= limit else {
                        held.add(limit, ordering: .relaxed)  // no thread takes another piece
                        return
                    }
                    results.withLock { $0[position] = expansion }
                    if stop?.isRequested == true { return }  // the rest of the level is not walked
                    let ended = shared.withLockIfAvailable { walk in
                        walk.walkFinished(
                            results, of: pieces, explorer: explorer, visited: visited, alone: false,
                            held: level.bytes, progress: progress.call
                        )
                    }
                    if ended == true { over.store(true, ordering: .relaxed) }
                }
            }
        }
        walk = shared.withLock { walk in
            var taken = LevelWalk(depth: 0, remaining: 0)
            swap(&taken, &walk)
            return taken
        }
        if let stop, stop.isRequested { return 0 }
        // Pieces finished past the first undone one cannot be used: drop them.
        let pending = results.withLock { results in
            if let undone = results[walk.walked...].firstIndex(where: { $0 == nil }) {
                for position in undone..<results.count { results[position] = nil }
            }
            return results.reduce(0) { $0 + ($1?.bytes ?? 0) }
        }
        _ = walk.walkFinished(
            results, of: pieces, explorer: explorer, visited: visited, alone: true,
            held: level.bytes + pending, progress: progress
        )
        return pending
    }
}

/// The search's progress report, called by whichever thread walks: never by
/// two at once, as the walk is one thread at a time under a lock.
private struct WalkProgress: @unchecked Sendable {
    let call: (Explorer.Statistics) -> Void
}

/// What walking a level's pieces in order builds: the states numbered, as the
/// serial search numbers them, and the next level.
private struct LevelWalk {
    /// What the search ended with, when it ends in this level.
    enum Outcome {
        case found(Explorer.Report)
        case failed(ClusterError)
        case memoryLimit(queued: Int)
    }

    var statistics = Explorer.Statistics()
    var origins = Origins()
    var next = SearchLevel()
    /// The pieces walked so far.
    var walked = 0
    let depth: Int
    /// The states of the level whose pieces are not walked yet.
    var remaining: Int
    var outcome: Outcome?

    init(depth: Int, remaining: Int) {
        self.depth = depth
        self.remaining = remaining
    }

    /// Walks the finished pieces that come next, in order, adding their
    /// candidates to `visited`: the first of each is a new state. While other
    /// threads read the set (not `alone`), it stops before a piece that would
    /// make the table grow. Returns whether the search ended.
    mutating func walkFinished(
        _ results: borrowing Mutex<[Expansion?]>, of pieces: [SearchLevel.Piece], explorer: Explorer,
        visited: SharedFingerprintSet, alone: Bool, held: Int, progress: (Explorer.Statistics) -> Void
    ) -> Bool {
        while outcome == nil, walked < pieces.count {
            let position = walked
            let taken: Expansion? = results.withLock { results in
                guard let expansion = results[position], alone || visited.fits(expansion.candidates.count) else { return nil }
                results[position] = nil  // freed when its candidates are done with
                return expansion
            }
            guard let expansion = taken else {
                if alone { outcome = .memoryLimit(queued: remaining + next.count) }
                break
            }
            walked += 1
            remaining -= pieces[position].entries.count
            walk(expansion, explorer: explorer, visited: visited, held: held, progress: progress)
        }
        return outcome != nil
    }

    private mutating func walk(
        _ expansion: Expansion, explorer: Explorer, visited: SharedFingerprintSet, held: Int,
        progress: (Explorer.Statistics) -> Void
    ) {
        var entries: [SearchLevel.Entry] = []
        for (position, candidate) in expansion.candidates.enumerated() {
            statistics.generated += Int(candidate.repeatsBefore) + 1
            let growth = visited.bytesToAddOne
            guard growth == 0 || visited.bytes + origins.bytes + next.bytes + held + growth <= explorer.options.memoryLimit else {
                outcome = .memoryLimit(queued: remaining + next.count + entries.count)
                return
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
                outcome = .found(Explorer.Report(statistics: statistics, failure: .init(steps: steps, violation: violation)))
                return
            }
            if candidate.offset >= 0 {
                entries.append(.init(offset: UInt32(candidate.offset), index: UInt32(origins.count - 1), submitted: candidate.submitted))
            }
            // Less often than the serial search: the walk is the one serial part,
            // and a progress call every 1024 states cost two jobs about 7%.
            if statistics.distinct & 0x3FFF == 0 {
                statistics.queued = remaining + next.count + entries.count
                statistics.memory = visited.bytes + origins.bytes + next.bytes + held
                progress(statistics)
            }
        }
        statistics.generated += expansion.repeatsAfter
        if let failure = expansion.failure {
            outcome = .failed(failure.error)
            return
        }
        next.append(.init(bytes: expansion.stored.bytes, entries: entries))
    }
}

/// One thread's tools for expanding pieces of a level: its own cluster to
/// restore states into, buffers, and program instance.
private struct Expander {
    let explorer: Explorer
    var state: Cluster
    var coder: SharedValueTable.Coder
    var scratch = FingerprintScratch()
    /// Where each successor of `state` is stepped.
    var successor: SuccessorScratch
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
        successor = SuccessorScratch(state)
        coder = SharedValueTable.Coder(values)
    }

    /// The successors of the piece's states that `visited` does not hold, in order.
    mutating func expand(_ piece: SearchLevel.Piece, of level: SearchLevel, visited: SharedFingerprintSet, stop: StopRequest?) -> Expansion {
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
            successor.expand(restoring: restored.rebuilt)
            for step in steps {
                do throws(ClusterError) {
                    guard try successor.step(step, from: state, trace: &trace) else { continue }
                } catch {
                    expansion.failure = (expansion.candidates.count, error)
                    expansion.repeatsAfter = Int(repeats)
                    return expansion
                }
                let submitted = Int(entry.submitted) + (step.isClientRequest ? 1 : 0)
                let fingerprint = successor.cluster.fingerprint(
                    successorChanging: step.changedServer, symmetry: options.symmetry, extra: UInt64(submitted), scratch: &scratch
                )
                if visited.contains(fingerprint.canonical) || !reachedInPiece.insert(fingerprint.canonical) {
                    repeats += 1
                    continue
                }
                var offset: Int32 = -1
                if let violation = successor.cluster.safety.violations.first {
                    expansion.violations[expansion.candidates.count] = violation
                } else if explorer.withinBounds(successor.cluster) {
                    // States past a bound are checked but never expanded, so never stored.
                    offset = Int32(expansion.stored.bytes.count)
                    successor.cluster.write(to: &expansion.stored, coding: &coder)
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
