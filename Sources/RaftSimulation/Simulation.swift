import Dispatch
import RaftCluster
import RaftCore
import Synchronization

/// Seeded random schedules with every safety property checked after every event.
public enum Simulation {
    /// What runs have done so far.
    public struct Statistics: Hashable, Sendable {
        /// Runs that took all their steps or stopped at a violation.
        public var runs = 0
        /// Runs stopped on request part of the way: their events, elections and
        /// commits are counted in the other figures.
        public var unfinished = 0
        public var events = 0
        /// Terms in which a leader was elected, summed over runs.
        public var elections = 0
        public var highestTerm = 0
        /// Indexes committed, summed over runs.
        public var committed = 0
        /// Elections started (`Cluster.electionsStarted`: a server became
        /// CANDIDATE in a new term), summed over runs.
        public var electionsStarted = 0
        /// Terms started: each run's highest term (every term up to it was started
        /// by an election in it), summed over runs.
        public var termsStarted = 0
        /// The longest stretch of consecutive steps of a schedule that found no live
        /// server LEADER (`RandomScheduler.longestWithoutLeader`): the longest of
        /// any run, and each run's longest summed (for the mean per run).
        public var longestWithoutLeader = 0
        public var longestWithoutLeaderSummed = 0

        public init() {}

        /// What a run has done so far: neither finished nor unfinished yet, and
        /// its longest stretch without a leader left for its end.
        public init(of cluster: Cluster, events: Int) {
            self.events = events
            elections = cluster.safety.electedTerms
            highestTerm = cluster.servers.map(\.currentTerm).max() ?? 0
            committed = cluster.safety.committedCount
            electionsStarted = cluster.electionsStarted
            termsStarted = highestTerm
        }

        public mutating func add(_ other: Statistics) {
            runs += other.runs
            unfinished += other.unfinished
            events += other.events
            elections += other.elections
            highestTerm = max(highestTerm, other.highestTerm)
            committed += other.committed
            electionsStarted += other.electionsStarted
            termsStarted += other.termsStarted
            longestWithoutLeader = max(longestWithoutLeader, other.longestWithoutLeader)
            longestWithoutLeaderSummed += other.longestWithoutLeaderSummed
        }
    }

    /// A run that broke a safety property: its seed and every step up to the break.
    public struct Failure: Hashable, Sendable {
        public var seed: UInt64
        public var steps: [Step]
        public var violation: SafetyViolation
    }

    public struct Report: Sendable {
        public var statistics: Statistics
        public var failure: Failure?
        /// A user's server program broke the node protocol: the runs stopped there.
        public var error: ClusterError?
        /// The runs were asked to stop before they were done: the statistics count
        /// every run finished until then (in whatever order the threads took them)
        /// and the events of the runs cut short.
        public var stopped = false
    }

    /// One run from a fresh cluster: `options.steps` events, stopping at the first violation.
    ///
    /// The run keeps no schedule, so memory stays flat however long it is; a run
    /// that breaks a property is played again from its seed (it is deterministic)
    /// to record the steps that led there. A requested `stop` ends the run within
    /// a few thousand events, counted as unfinished. `running` is shown
    /// the run's cluster and events so far every few thousand steps (every
    /// `stepsBetweenReports`), so that a long run shows progress before it ends.
    public static func run(
        seed: UInt64, options: SimulationOptions, stop: StopRequest? = nil, running: (_ cluster: Cluster, _ events: Int) -> Void = { _, _ in }
    ) throws(ClusterError) -> (Statistics, Failure?) {
        let (statistics, violation) = try play(seed: seed, options: options, stop: stop, running: running, record: nil)
        guard violation != nil else { return (statistics, nil) }
        var steps: [Step] = []
        let (_, recorded) = try play(seed: seed, options: options, stop: nil, running: { _, _ in }) { steps.append($0) }
        return (statistics, recorded.map { Failure(seed: seed, steps: steps, violation: $0) })
    }

    /// A run, its loop written out three times: asked to record its steps or
    /// not, so that a run that records nothing (all but the replay of a failing
    /// one) does not ask at every step whether it does; and, recording nothing,
    /// with raftsh's own servers or a program's, so that deliveries to servers
    /// that cannot fail are not checked for a failure
    /// (`Cluster.deliverToOwnServer`). With link-time optimization the first
    /// and the scheduler's totals with deliveries (`RandomScheduler.Weights`)
    /// took the simulate benchmark from 786.8 to 774.1 instructions an event
    /// (callgrind), the second from 764.8 to 743.6.
    private static func play(
        seed: UInt64, options: SimulationOptions, stop: StopRequest?, running: (Cluster, Int) -> Void, record: ((Step) -> Void)?
    ) throws(ClusterError) -> (Statistics, SafetyViolation?) {
        if let record {
            return try playSteps(seed: seed, options: options, stop: stop, running: running, record: record, ownServers: false)
        }
        if options.implementation.program == nil {
            return try playSteps(seed: seed, options: options, stop: stop, running: running, record: nil, ownServers: true)
        }
        return try playSteps(seed: seed, options: options, stop: stop, running: running, record: nil, ownServers: false)
    }

    /// `ownServers`: the servers are raftsh's own, which cannot fail.
    @inline(__always)
    private static func playSteps(
        seed: UInt64, options: SimulationOptions, stop: StopRequest?, running: (Cluster, Int) -> Void, record: ((Step) -> Void)?,
        ownServers: Bool
    ) throws(ClusterError) -> (Statistics, SafetyViolation?) {
        var cluster = try options.freshCluster()
        var scheduler = RandomScheduler(options: options, seed: seed)
        var trace = Trace(recording: false)
        var events = 0
        var violation: SafetyViolation?
        var stopped = false
        // Steps taken (calls to the scheduler), for the stretch without a leader.
        var steps = options.steps
        // raftsh's own servers take a few microseconds an event, a program's a
        // millisecond or more: a stop is looked for every 4096 steps, or every one,
        // well within a second. One comparison a step with the next step to look.
        let stepsBetweenPolls = options.implementation.program == nil ? 4096 : 1
        var nextPoll = 0
        for step in 0..<options.steps {
            if step == nextPoll {
                if let stop, stop.isRequested {
                    stopped = true
                    steps = step
                    break
                }
                nextPoll += stepsBetweenPolls
                if step % stepsBetweenReports == 0 { running(cluster, events) }
            }
            guard let choice = scheduler.next(in: &cluster, step: step) else { continue }
            if let record {
                let recorded = choice.step(in: cluster)
                guard try choice.apply(to: &cluster, trace: &trace, ownServers: ownServers) else { continue }
                record(recorded)
            } else {
                guard try choice.apply(to: &cluster, trace: &trace, ownServers: ownServers) else { continue }
            }
            events += 1
            if let broken = cluster.safety.violations.first {
                violation = broken
                steps = step + 1
                break
            }
        }
        // Written out rather than `Statistics(of:events:)`, which here cost the
        // benchmark 5 to 40 instructions an event (callgrind) by how it changed
        // what the loop above was compiled to.
        var statistics = Statistics()
        statistics.runs = stopped ? 0 : 1
        statistics.unfinished = stopped ? 1 : 0
        statistics.events = events
        statistics.elections = cluster.safety.electedTerms
        statistics.highestTerm = cluster.servers.map(\.currentTerm).max() ?? 0
        statistics.committed = cluster.safety.committedCount
        statistics.electionsStarted = cluster.electionsStarted
        statistics.termsStarted = statistics.highestTerm
        statistics.longestWithoutLeader = scheduler.longestWithoutLeader(inFirst: steps)
        statistics.longestWithoutLeaderSummed = statistics.longestWithoutLeader
        return (statistics, violation)
    }

    /// How often a run tells `running` how far it is: every 4096 steps, a few
    /// milliseconds of raftsh's own servers, a fraction of a second of a program's.
    static let stepsBetweenReports = 4096

    /// Runs `options.runs` seeds on `options.jobs` threads. The answer does not depend
    /// on the number of jobs: on a violation, the failing run with the lowest seed is reported.
    /// Neither do the statistics: they count the runs up to that one, in seed order,
    /// not whichever runs past it other threads happened to finish first.
    /// Once `stop` is requested no run starts and the running ones end early.
    /// `progress` hears what has been done after every run and every few
    /// thousand steps of the runs still going (their events counted in it).
    public static func run(
        options: SimulationOptions, stop: StopRequest? = nil, progress: @Sendable (Statistics) -> Void = { _ in }
    ) -> Report {
        let next = Atomic<Int>(0)
        let shared = Mutex(Tally())
        DispatchQueue.concurrentPerform(iterations: max(1, options.jobs)) { job in
            // Every job but the first runs its own instance of a user's program.
            var options = options
            if job > 0 {
                do throws(ProgramFailure) {
                    options.implementation = try options.implementation.another()
                } catch {
                    shared.withLock { tally in tally.error = tally.error ?? .program(server: nil, error) }
                    return
                }
            }
            defer { if job > 0 { options.implementation.program?.stop() } }
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < options.runs, stop?.isRequested != true else { return }
                let done = shared.withLock { tally in tally.error != nil || (tally.failure.map { $0.index < index } ?? false) }
                if done { return }
                let statistics: Statistics, failure: Failure?
                do throws(ClusterError) {
                    (statistics, failure) = try run(seed: options.seed &+ UInt64(index), options: options, stop: stop) { cluster, events in
                        let soFar = Statistics(of: cluster, events: events)
                        progress(shared.withLock { tally in tally.running(soFar, job: job) })
                    }
                } catch {
                    shared.withLock { tally in tally.error = tally.error ?? error }
                    return
                }
                let snapshot = shared.withLock { tally in
                    tally.finish(index, statistics, failure, job: job)
                    return tally.seenWithRunning
                }
                progress(snapshot)
            }
        }
        let tally = shared.withLock { $0 }
        // Stopped, counting in seed order would leave out finished runs past one cut short.
        if let stop, stop.isRequested, tally.seen.runs < options.runs {
            return Report(statistics: tally.seen, failure: tally.failure?.failure, error: tally.error, stopped: true)
        }
        return Report(statistics: tally.counted, failure: tally.failure?.failure, error: tally.error)
    }

    /// What the threads have done: every finished run for the progress line, and
    /// the runs counted in seed order up to the lowest failing one for the report.
    private struct Tally: Sendable {
        var seen = Statistics()
        var counted = Statistics()
        /// Runs finished ahead of a lower seed still running, by index.
        var waiting: [Int: Statistics] = [:]
        var nextToCount = 0
        var failure: (index: Int, failure: Failure)?
        /// A user's program broke the node protocol: every job stops.
        var error: ClusterError?
        /// What the run each job has under way has done, as it last said.
        var underWay: [Int: Statistics] = [:]

        /// Every finished run, and what those under way have done so far.
        var seenWithRunning: Statistics {
            underWay.values.reduce(into: seen) { $0.add($1) }
        }

        mutating func running(_ soFar: Statistics, job: Int) -> Statistics {
            underWay[job] = soFar
            return seenWithRunning
        }

        mutating func finish(_ index: Int, _ statistics: Statistics, _ failed: Failure?, job: Int) {
            underWay[job] = nil
            seen.add(statistics)
            if let failed, failure.map({ index < $0.index }) ?? true { failure = (index, failed) }
            waiting[index] = statistics
            while let ready = waiting.removeValue(forKey: nextToCount) {
                if failure.map({ nextToCount <= $0.index }) ?? true { counted.add(ready) }
                nextToCount += 1
            }
        }
    }
}
