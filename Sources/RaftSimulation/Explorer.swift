import RaftCluster
import RaftCore

/// Breadth-first search of every schedule within bounds, as the TLC model checker
/// does for raft.tla: every state reached is checked for Figure 3's properties,
/// and the first violation comes with a shortest path to it.
public struct Explorer: Sendable {
    public struct Statistics: Hashable, Sendable {
        /// Distinct states (up to symmetry when it is on).
        public var distinct = 0
        /// Successor states generated, repeats included.
        public var generated = 0
        /// The depth of the deepest state reached.
        public var depth = 0
        /// The states the distinct ones stand for without symmetry reduction.
        public var unreduced = 0
        /// States in the queue, waiting to be expanded.
        public var queued = 0
        /// The bytes the search's tables hold: fingerprints, origins, states
        /// waiting (what `ExploreOptions.memoryLimit` bounds).
        public var memory = 0
    }

    public struct Failure: Sendable {
        /// A shortest schedule from the start to the violation.
        public var steps: [Step]
        public var violation: SafetyViolation
    }

    public struct Report: Sendable {
        public var statistics: Statistics
        public var failure: Failure?
        /// The search was asked to stop before it was done: the statistics count
        /// what it searched until then, and states in the queue were not expanded.
        public var stopped = false
        /// The search stopped before the end, its tables at `ExploreOptions.memoryLimit`:
        /// the statistics count what it searched, and no violation was among it.
        public var stoppedAtMemoryLimit = false
    }

    let options: ExploreOptions

    public init(options: ExploreOptions) {
        self.options = options
    }

    /// Explores from `start`, a cluster of at most `ExploreOptions.maxServers` servers.
    ///
    /// Per distinct state the search keeps its 8-byte fingerprint (in a hash table
    /// at most 3/4 full) and 8 bytes saying how it was first reached, and, while
    /// it waits to be expanded, its stored form: about 30 bytes a state in all
    /// for 3 servers. With more than one job, the levels of the search are
    /// expanded on that many threads, with the same answer (`exploreInParallel`).
    ///
    /// `stop` is polled before each state is expanded: once it is requested the
    /// search returns what it has counted so far, marked as stopped.
    public func explore(
        from start: Cluster, stop: StopRequest? = nil, progress: (Statistics) -> Void = { _ in }
    ) throws(ClusterError) -> Report {
        precondition(start.size <= ExploreOptions.maxServers, "exhaustive search covers clusters of up to \(ExploreOptions.maxServers) servers")
        if options.jobs > 1 { return try exploreInParallel(from: start, stop: stop, progress: progress) }
        var statistics = Statistics()
        var visited = FingerprintSet()
        var origins = Origins()
        var queue = StateQueue()
        var values = ValueTable()
        var scratch = FingerprintScratch()

        let first = start.fingerprint(symmetry: options.symmetry, extra: 0, scratch: &scratch)
        _ = visited.insert(first.canonical)
        origins.append(parent: nil, code: 0)
        statistics.distinct = 1
        statistics.unreduced = first.orbit
        if let violation = start.safety.violations.first {
            return Report(statistics: statistics, failure: Failure(steps: [], violation: violation))
        }
        if withinBounds(start) {
            queue.push(.init(index: 0, depth: 0, submitted: 0), state: start, values: &values)
        }

        var trace = Trace(recording: false)
        var state = start
        state.keepsTime = false  // a search fires timers as events and never ticks
        state.listsLinks = false  // and its few messages in flight cost less to walk than to list by link
        var steps: [Step] = []
        var memory = TableMemory(limit: options.memoryLimit)
        memory.measure(visited, origins, queue)
        let program = options.implementation.program  // asked once, not per state
        var restored = RestoredServers()
        var successor = SuccessorScratch(state)
        while let entry = queue.pop(into: &state, values: values, keeping: &restored) {
            if let stop, stop.isRequested {
                statistics.queued = queue.count + 1
                return Report(statistics: statistics, failure: nil, stopped: true)
            }
            successors(of: state, submitted: entry.submitted, into: &steps)
            if let program { Self.askAhead(steps, from: state, of: program) }
            scratch.expand(state)
            successor.expand(restoring: restored.rebuilt)
            for step in steps {
                guard try successor.step(step, from: state, trace: &trace) else { continue }
                statistics.generated += 1
                let submitted = entry.submitted + (step.isClientRequest ? 1 : 0)
                let fingerprint = successor.cluster.fingerprint(
                    successorChanging: step.changedServer, symmetry: options.symmetry, extra: UInt64(submitted), scratch: &scratch
                )
                if TableMemory.mayGrow(visited, queue) {
                    memory.measure(visited, origins, queue)
                    guard memory.allows(growing: visited, queue) else {
                        statistics.queued = queue.count
                        statistics.memory = memory.held
                        return Report(statistics: statistics, failure: nil, stoppedAtMemoryLimit: true)
                    }
                }
                guard visited.insert(fingerprint.canonical) else { continue }
                origins.append(parent: entry.index, code: step.code)
                statistics.distinct += 1
                statistics.unreduced += fingerprint.orbit
                if statistics.depth == entry.depth {
                    statistics.depth = entry.depth + 1
                    statistics.queued = queue.count
                    progress(statistics)  // a level begins: `SearchEstimate` reads the sizes of those before
                }
                if let violation = successor.cluster.safety.violations.first {
                    statistics.queued = queue.count
                    return Report(statistics: statistics, failure: Failure(steps: path(to: origins.count - 1, in: origins), violation: violation))
                }
                // States past a bound are checked (above) but never expanded, so never stored.
                if withinBounds(successor.cluster) {
                    queue.push(.init(index: origins.count - 1, depth: entry.depth + 1, submitted: submitted), state: successor.cluster, values: &values)
                }
                // Often enough for a progress line every second under a slow --node program.
                if statistics.distinct & 0x3FF == 0 {
                    statistics.queued = queue.count
                    memory.measure(visited, origins, queue)
                    statistics.memory = memory.held
                    progress(statistics)
                }
            }
        }
        statistics.queued = 0
        memory.measure(visited, origins, queue)
        statistics.memory = memory.held
        return Report(statistics: statistics, failure: nil)
    }

    /// Tells `program` every request the steps will make from `state` (learned
    /// by trying each step with a `RequestRecorder`), so that it can have them
    /// all in flight at once: the steps are independent, and one round trip
    /// through the pipe for all of them costs far less than one each.
    static func askAhead(_ steps: [Step], from state: Cluster, of program: any ServerProgram) {
        var trace = Trace(recording: false)
        let recorder = RequestRecorder(program)
        for step in steps {
            var next = state
            next.runSteps(on: recorder)
            _ = try? step.apply(to: &next, trace: &trace)
        }
        program.askAhead(recorder.requests)
    }

    func withinBounds(_ cluster: Cluster) -> Bool {
        cluster.network.count <= options.maxInFlight
            && cluster.servers.allSatisfy { $0.currentTerm <= options.maxTerm && $0.log.lastIndex <= options.maxLog }
    }

    /// Every event the shell could cause now, in a fixed order. Identical messages
    /// give identical successors, so only the first of each is delivered, dropped
    /// or duplicated.
    func successors(of cluster: Cluster, submitted: Int, into steps: inout [Step]) {
        steps.removeAll(keepingCapacity: true)
        for server in cluster.servers where cluster.isUp[server.id.index] {
            switch server.role.kind {
            case .leader:
                steps.append(.heartbeat(server.id))
                if submitted < options.clients { steps.append(.submit(server.id, Step.clientValue(submitted + 1))) }
                if cluster.leaderRunsElectionTimer(server.id) { steps.append(.timeout(server.id)) }
                if options.transfers {
                    for target in cluster.ids where target != server.id { steps.append(.transfer(server.id, to: target)) }
                }
            case .follower, .precandidate, .candidate:
                steps.append(.timeout(server.id))
            }
        }
        // Messages come in send order, so a message's position on its link is the
        // number of earlier ones on that link: no need to ask the network (which,
        // keeping no lists by link, would walk what is in flight for each answer).
        // Read by link and compared in place, no message is copied out.
        let network = cluster.network
        network.forEachLinkInFlight { sequence, from, to in
            var position = 0, isRepeat = false
            network.forEachLinkInFlight(before: sequence) { other, otherFrom, otherTo in
                guard otherFrom == from, otherTo == to else { return }
                position += 1
                isRepeat = isRepeat || network.holdSameMessage(other, sequence)
            }
            if isRepeat { return }
            steps.append(.deliver(from: from, to: to, position: position))
            if options.drops { steps.append(.drop(from: from, to: to, position: position)) }
            if options.duplicates { steps.append(.duplicate(from: from, to: to, position: position)) }
        }
        if options.crashes {
            for id in cluster.ids {
                steps.append(cluster.isUp[id.index] ? .crash(id) : .restart(id))
            }
        }
        if options.cuts {
            for from in cluster.ids {
                for to in cluster.ids where to != from {
                    steps.append(cluster.cuts.contains(from: from, to: to) ? .healCut(from: from, to: to) : .cut(from: from, to: to))
                }
            }
        }
    }

    /// The steps from the start to state `index`, numbering client values along the way.
    func path(to index: Int, in origins: Origins) -> [Step] {
        var submitted = 0
        return origins.path(to: index).map { code in
            let step = Step(code: code, submitted: submitted)
            if step.isClientRequest { submitted += 1 }
            return step
        }
    }
}

extension Step {
    /// The one server whose state the step changes, if any; every other change
    /// is to the messages in flight, the safety history or the cut links. A
    /// search fingerprints a successor by visiting that server alone
    /// (`Cluster.fingerprint(successorChanging:…)`, which checks it in debug builds).
    var changedServer: ServerID? {
        switch self {
        case .timeout(let id), .heartbeat(let id), .submit(let id, _), .crash(let id), .restart(let id), .transfer(let id, _):
            id
        case .deliver(_, let to, _):
            to
        case .drop, .duplicate, .partition, .heal, .cut, .healCut:
            nil
        }
    }
}
