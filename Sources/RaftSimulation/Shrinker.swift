import RaftCluster
import RaftCore

/// Makes a failing schedule short enough to read: delta debugging removes steps
/// while the same property still breaks, the `nth` of each remaining message
/// step is simplified to the oldest message where that still fails, each step
/// is removed with everything it caused (a whole election), and pairs of steps
/// that only matter together are removed, until nothing shortens it.
public struct Shrinker: Sendable {
    public let options: SimulationOptions
    /// The property that must still break.
    public let property: String
    /// The most replays to spend; each costs the length of the schedule.
    public var maxReplays = 20_000

    public init(options: SimulationOptions, property: String) {
        self.options = options
        self.property = property
    }

    /// Replays from a fresh cluster, skipping steps that cannot happen. Returns the
    /// steps that happened up to the first violation, if the right property broke.
    public func replay(_ steps: [Step]) throws(ClusterError) -> (steps: [Step], violation: SafetyViolation)? {
        var cluster = try options.freshCluster()  // as in the run being shrunk
        var trace = Trace(recording: false)
        var applied: [Step] = []
        for step in steps where try step.apply(to: &cluster, trace: &trace) {
            applied.append(step)
            if let violation = cluster.safety.violations.first {
                return violation.property == property ? (applied, violation) : nil
            }
        }
        return nil
    }

    /// Delta debugging (chunks of steps, then single steps), then each message
    /// step on its link's oldest message, then each step with its consequences,
    /// then every pair of steps, again and again until none of them makes the
    /// schedule shorter or the replays run out. Consequences find what single
    /// steps and pairs cannot: an election is a timeout, the deliveries of its
    /// RequestVotes and of the votes they sent back, none of which can go
    /// alone. Pairs find a crash and its restart, each needed by the other and
    /// by nothing else.
    public func shrink(_ steps: [Step]) throws(ClusterError) -> (steps: [Step], violation: SafetyViolation)? {
        guard var best = try replay(steps) else { return nil }
        var replays = 1
        while replays < maxReplays {
            let before = best.steps
            try removeChunks(from: &best, replays: &replays)
            try useOldestMessages(in: &best, replays: &replays)
            if best.steps == before { try removeWithConsequences(from: &best, replays: &replays) }
            if best.steps == before { try removePairs(from: &best, replays: &replays) }
            if best.steps == before { break }
        }
        return best
    }

    private typealias Best = (steps: [Step], violation: SafetyViolation)

    /// Delta debugging: removes chunks of steps, halving them down to single steps.
    private func removeChunks(from best: inout Best, replays: inout Int) throws(ClusterError) {
        var granularity = 2
        while best.steps.count >= 2, replays < maxReplays {
            let count = best.steps.count
            let chunk = (count + granularity - 1) / granularity
            var reduced = false
            for start in stride(from: 0, to: count, by: chunk) where replays < maxReplays {
                var candidate = best.steps
                candidate.removeSubrange(start..<min(start + chunk, count))
                replays += 1
                if let shorter = try replay(candidate), shorter.steps.count < count {
                    best = shorter
                    granularity = max(granularity - 1, 2)
                    reduced = true
                    break
                }
            }
            if !reduced {
                guard granularity < count else { break }
                granularity = min(granularity * 2, count)
            }
        }
    }

    /// Each message step on the oldest message of its link, where that still fails.
    private func useOldestMessages(in best: inout Best, replays: inout Int) throws(ClusterError) {
        var index = 0
        while index < best.steps.count, replays < maxReplays {
            defer { index += 1 }
            guard let simpler = best.steps[index].withOldestMessage else { continue }
            var candidate = best.steps
            candidate[index] = simpler
            replays += 1
            if let result = try replay(candidate), result.steps.count <= best.steps.count {
                best = result
            }
        }
    }

    /// Removes the first pair of steps whose removal still fails, if any.
    private func removePairs(from best: inout Best, replays: inout Int) throws(ClusterError) {
        let count = best.steps.count
        for first in 0..<count {
            for second in (first + 1)..<count where replays < maxReplays {
                var candidate = best.steps
                candidate.remove(at: second)
                candidate.remove(at: first)
                replays += 1
                if let shorter = try replay(candidate), shorter.steps.count < count {
                    best = shorter
                    return
                }
            }
        }
    }

    /// Removes each step together with every later step that acts on a message
    /// it caused, directly or through another such step (`CausalSchedule`).
    private func removeWithConsequences(from best: inout Best, replays: inout Int) throws(ClusterError) {
        var schedule = try CausalSchedule(replaying: best.steps, options: options)
        replays += 1
        var index = 0
        while index < schedule.steps.count, replays < maxReplays {
            replays += 1
            let removed = index
            let result = try schedule.replay(keeping: { $0 != removed }, options: options)
            if let violation = result.violation, violation.property == property, result.steps.count < best.steps.count {
                best = (result.steps, violation)
                replays += 1
                schedule = try CausalSchedule(replaying: best.steps, options: options)
            } else {
                index += 1
            }
        }
    }
}

extension Step {
    /// The same step on the oldest message of its link, if it names another one.
    var withOldestMessage: Step? {
        link != nil && position > 0 ? at(position: 0) : nil
    }
}
