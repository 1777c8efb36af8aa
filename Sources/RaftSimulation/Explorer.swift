import DequeModule
import RaftCluster
import RaftCore

/// Breadth-first search of every schedule within bounds, as the TLC model checker
/// does for raft.tla: every state reached is checked for Figure 3's properties,
/// and the first violation comes with a shortest path to it.
public struct Explorer {
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
    }

    public struct Failure: Sendable {
        /// A shortest schedule from the start to the violation.
        public var steps: [Step]
        public var violation: SafetyViolation
    }

    public struct Report: Sendable {
        public var statistics: Statistics
        public var failure: Failure?
    }

    /// What is kept per visited state: how it was first reached, for the counterexample.
    private struct Origin {
        var parent: Int32
        var step: Step?
    }

    private struct Pending {
        var cluster: Cluster
        var index: Int32
        var depth: Int
        var submitted: Int
    }

    let options: ExploreOptions

    public init(options: ExploreOptions) {
        self.options = options
    }

    public func explore(from start: Cluster, progress: (Statistics) -> Void = { _ in }) -> Report {
        var statistics = Statistics()
        var visited = Set<UInt64>()
        var origins: [Origin] = []
        var queue = Deque<Pending>()

        let first = start.fingerprint(symmetry: options.symmetry)
        visited.insert(first.canonical)
        origins.append(Origin(parent: -1, step: nil))
        statistics.distinct = 1
        statistics.unreduced = first.orbit
        if let violation = start.safety.violations.first {
            return Report(statistics: statistics, failure: Failure(steps: [], violation: violation))
        }
        queue.append(Pending(cluster: start, index: 0, depth: 0, submitted: 0))

        var trace = Trace(recording: false)
        while let state = queue.popFirst() {
            guard withinBounds(state.cluster) else { continue }
            for (step, submits) in successors(of: state.cluster, submitted: state.submitted) {
                var next = state.cluster
                guard step.apply(to: &next, trace: &trace) else { continue }
                statistics.generated += 1
                let submitted = state.submitted + (submits ? 1 : 0)
                let fingerprint = next.fingerprint(symmetry: options.symmetry, extra: UInt64(submitted))
                guard visited.insert(fingerprint.canonical).inserted else { continue }
                origins.append(Origin(parent: state.index, step: step))
                statistics.distinct += 1
                statistics.unreduced += fingerprint.orbit
                statistics.depth = max(statistics.depth, state.depth + 1)
                if let violation = next.safety.violations.first {
                    statistics.queued = queue.count
                    return Report(statistics: statistics, failure: Failure(steps: path(to: origins.count - 1, in: origins), violation: violation))
                }
                queue.append(Pending(cluster: next, index: Int32(origins.count - 1), depth: state.depth + 1, submitted: submitted))
            }
            if statistics.distinct & 0x3FFF == 0 {
                statistics.queued = queue.count
                progress(statistics)
            }
        }
        statistics.queued = 0
        return Report(statistics: statistics, failure: nil)
    }

    private func withinBounds(_ cluster: Cluster) -> Bool {
        cluster.network.count <= options.maxInFlight
            && cluster.servers.allSatisfy { $0.currentTerm <= options.maxTerm && $0.log.lastIndex <= options.maxLog }
    }

    /// Every event the shell could cause now, in a fixed order; the flag marks client requests.
    private func successors(of cluster: Cluster, submitted: Int) -> [(Step, Bool)] {
        var steps: [(Step, Bool)] = []
        for server in cluster.servers where cluster.isUp[server.id.index] {
            switch server.role.kind {
            case .leader:
                steps.append((.heartbeat(server.id), false))
                if submitted < options.clients { steps.append((.submit(server.id, "v\(submitted + 1)"), true)) }
            case .follower, .candidate:
                steps.append((.timeout(server.id), false))
            }
        }
        var seen = Set<Envelope>()
        for message in cluster.network.messages where seen.insert(message.envelope).inserted {
            let position = cluster.network.position(of: message)
            steps.append((.deliver(from: message.from, to: message.to, position: position), false))
            if options.drops { steps.append((.drop(from: message.from, to: message.to, position: position), false)) }
            if options.duplicates { steps.append((.duplicate(from: message.from, to: message.to, position: position), false)) }
        }
        if options.crashes {
            for id in cluster.ids {
                steps.append((cluster.isUp[id.index] ? .crash(id) : .restart(id), false))
            }
        }
        return steps
    }

    private func path(to index: Int, in origins: [Origin]) -> [Step] {
        var steps: [Step] = []
        var current = index
        while current > 0, let step = origins[current].step {
            steps.append(step)
            current = Int(origins[current].parent)
        }
        return steps.reversed()
    }
}
