import ArgumentParser
import Foundation
import RaftCluster
import RaftCore
import RaftSimulation

/// `raftsh simulate`: random schedules with safety checked after every event.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run seeded random schedules and check every safety property after every event.",
        discussion: """
            Each run starts from a fresh cluster and takes --steps random events: timeouts, \
            heartbeats, deliveries of any message in flight (so messages are reordered), and, \
            when enabled, drops, duplicates, partitions and heals, one-way link cuts and heals \
            (--cuts, off unless given), crashes and restarts, and client requests. Client requests, partitions and crashes are on by default with \
            --unsafe (so the broken rule has every chance to show) and off otherwise. \
            --prevote and --checkquorum run the servers with the options of raftscript.md \
            section 10 (with --checkquorum, leaders' election timers are among the timeouts); \
            --transfers adds leadership transfers (transfer S T) to the events. \
            With --node, your own Raft runs as the servers (one program per job), and a \
            counterexample names it. \
            On a violation the schedule is shrunk and written as a .raftscript that ends in \
            a failing `expect safe`; the exit status is then 1. Shrinking replays the \
            schedule from a fresh cluster at most 20 000 times, most of them once it is \
            down to a few dozen events: with --node every replay asks the program again, \
            which takes seconds for the Python examples and can take minutes for a slow \
            program's long run. The summary adds elections \
            started (a server became CANDIDATE), terms started (each run's highest term) and \
            the longest stretch of steps that found no live LEADER, in all and per run. \
            Every timeout sends a RequestVote to each other server, so in clusters of more \
            than 8 servers deliveries are chosen (size − 1) / 4 times as often as in a \
            5-server cluster: the network keeps up, as a real one does. \
            SIGINT or SIGTERM stops the runs within a second: the summary counts what ran \
            (marked partial) and the exit status is 130 or 143. Off a terminal a progress \
            line goes to standard error every 10 seconds (RAFTSH_PROGRESS_SECONDS), counting the \
            runs still going as well as the finished ones. \
            --json prints the summary as one JSON object on standard output (keys: command, \
            options, seeds, partial, stoppedBy, runs, unfinishedRuns, events, elections, \
            highestTerm, committed, electionsStarted, termsStarted, longestWithoutLeader, \
            longestWithoutLeaderSummed, seconds, eventsPerSecond, violation: null or seed, property, \
            description, events, shrunkEvents, counterexample); `raftsh simulate merge` adds \
            up the summaries of shards run with different --seed.
            """,
        subcommands: [SimulateMergeCommand.self]
    )

    @Option(parsing: .unconditional, help: "Servers in each cluster.") var servers = 5
    @Option(parsing: .unconditional, help: "Seed of the first run; run i uses seed + i.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Events per run.") var steps = 10_000
    @Option(parsing: .unconditional, help: "Number of runs.") var runs = 500
    @Option(parsing: .unconditional, help: "Runs in parallel on this many threads (default: every core; the result does not change).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(parsing: .unconditional, help: "Probability that a delivery drops the message instead.") var loss = 0.0
    @Option(parsing: .unconditional, help: "Probability that a delivery first duplicates the message.") var duplicate = 0.0
    @Flag(inversion: .prefixedNo, help: "Partition and heal the network.") var partitions: Bool?
    @Flag(help: "Cut and heal links one way (cut A->B, heal A->B), for partial partitions.") var cuts = false
    @Flag(inversion: .prefixedNo, help: "Crash and restart servers.") var crashes: Bool?
    @Flag(inversion: .prefixedNo, help: "Send client requests to leaders.") var clients: Bool?
    @Option(help: "Break one rule on purpose.") var unsafe: UnsafeVariant?
    @Flag(help: "Pre-Vote: an election timeout makes a PRECANDIDATE first (raftscript.md section 10).") var prevote = false
    @Flag(help: "CheckQuorum and leader stickiness; leaders' election timers fire too (section 10).") var checkquorum = false
    @Flag(help: "Leadership transfers (transfer S T) as random events (section 10).") var transfers = false
    @Option(help: "Where to write a counterexample (default: raftsh-violation-seedN.raftscript).")
    var output: String?
    @OptionGroup var node: NodeOptions
    @Flag(help: "With --node: ask every step twice and stop at the first answer that differs (protocol section 8).")
    var checkDeterminism = false
    @Flag(help: "Print the summary as one JSON object on standard output; other lines go to standard error.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(servers) else { throw ValidationError("--servers takes 1 to 1000, not \(servers)") }
        for (flag, value) in [("--steps", steps), ("--runs", runs), ("--jobs", jobs)] where value < 1 {
            throw ValidationError("\(flag) takes 1 or more, not \(value)")
        }
        guard (0...1).contains(loss), (0...1).contains(duplicate) else {
            throw ValidationError("--loss and --duplicate are probabilities from 0 to 1")
        }
        if node.node != nil, unsafe != nil { throw ValidationError("--unsafe breaks a rule of raftsh's own servers; with --node the rules are your program's") }
        if node.node == nil, checkDeterminism { throw ValidationError("--check-determinism checks a --node program") }
    }

    var options: SimulationOptions {
        var options = SimulationOptions()
        options.servers = servers
        options.seed = seed
        options.steps = steps
        options.runs = runs
        options.jobs = jobs
        options.loss = loss
        options.duplicate = duplicate
        options.unsafe = unsafe
        options.prevote = prevote
        options.checkQuorum = checkquorum
        options.transfers = transfers
        // Hunting a broken rule (ours on purpose, or a bug in a --node program): every kind of event.
        let everything = options.unsafe != nil || node.node != nil
        options.partitions = partitions ?? everything
        options.cuts = cuts
        options.crashes = crashes ?? everything
        options.clients = clients ?? everything
        return options
    }

    func run() throws {
        StopSignals.install()
        Console.jsonOnStandardOutput = json
        var options = options
        options.implementation = try node.implementation(passStandardError: false, checkDeterminism: checkDeterminism)
        defer { options.implementation.program?.stop() }
        try Self.requireFeatures(prevote: prevote, checkquorum: checkquorum, transfer: transfers, of: options.implementation, command: "simulate")
        let clock = ContinuousClock()
        let start = clock.now
        let progress = ProgressLine(command: "simulate", start: start)
        let total = options.runs
        let report = Simulation.run(options: options, stop: StopSignals.request) { s in
            progress.show { seconds in
                "run \(s.runs)/\(total), \(s.events) events, \(Int(Double(s.events) / max(seconds, 1e-9)))/s, \(s.elections) elections, term ≤ \(s.highestTerm), \(s.committed) committed"
            }
        }
        progress.finish()
        let seconds = (clock.now - start).seconds
        if let error = report.error {
            Console.print("raftsh simulate: error: \(error)", to: .standardError)
            throw ExitCode(2)
        }
        let s = report.statistics
        let partial = report.stopped ? "partial, stopped by \(StopSignals.stoppedBy): " : ""
        let unfinished = s.unfinished > 0 ? " (and \(s.unfinished) cut short)" : ""
        Console.print("\(partial)\(s.events) events in \(s.runs) runs\(unfinished), \(s.elections) elections, highest term \(s.highestTerm), \(s.committed) entries committed, \(Int(Double(s.events) / max(seconds, 1e-9))) events/s")
        Console.print(Self.electionSummary(s))
        let stopStatus = StopSignals.exitStatus
        var summary = SimulateSummary(
            options: SimulateSummary.options(options, node: node.node), seeds: Self.seeds(from: seed, runs: runs),
            statistics: s, seconds: seconds, stoppedBy: report.stopped ? StopSignals.stoppedBy : nil,
            violation: nil
        )
        // The summary object, then the status: the end of every path that did not fail.
        func finish(_ status: Int32) throws {
            if json { Console.printJSON(summary.json) }
            if status != 0 { throw ExitCode(status) }
        }
        guard let failure = report.failure else {
            Console.print(report.stopped ? "no safety violation in the events run" : "no safety violation")
            try finish(report.stopped ? stopStatus : 0)
            return
        }
        let name: (ServerID) -> String = { "s\($0.index + 1)" }
        Console.print("violation in the run with seed \(failure.seed) after \(failure.steps.count) events: \(failure.violation.describe(name))")
        summary.violation = .init(
            seed: failure.seed, property: failure.violation.property, description: failure.violation.describe(name),
            events: failure.steps.count
        )
        if report.stopped {
            Console.print("not shrunk (stopped); run it again with --seed \(failure.seed) --runs 1")
            try finish(stopStatus)
        }
        let shrinker = Shrinker(options: options, property: failure.violation.property)
        let shrunk: (steps: [Step], violation: SafetyViolation)
        do {
            shrunk = try shrinker.shrink(failure.steps) ?? (failure.steps, failure.violation)
        } catch {
            Console.print("raftsh simulate: error while shrinking: \(error)", to: .standardError)
            throw ExitCode(2)
        }
        var header = ["Found by raftsh simulate (run seed \(failure.seed), \(options.servers) servers\(options.unsafe.map { ", unsafe \($0.rawValue)" } ?? "")).",
                      "Shrunk from \(failure.steps.count) to \(shrunk.steps.count) events; replay it with raftsh FILE or `source` it in the shell."]
        if let command = node.node {
            header = ["Found by raftsh simulate --node \(Self.quoted(command)) (run seed \(failure.seed), \(options.servers) servers).",
                      "Shrunk from \(failure.steps.count) to \(shrunk.steps.count) events; replay it against the same program:",
                      "  raftsh --node \(Self.quoted(command)) FILE"]
        } else if options.unsafe == nil {
            header.insert("The correct algorithm broke: please report this script.", at: 0)
        }
        let text = Counterexample.script(
            steps: shrunk.steps, violation: shrunk.violation, servers: options.servers, unsafe: options.unsafe, header: header,
            settings: options.extensionSettings
        )
        let path = output ?? "raftsh-violation-seed\(failure.seed).raftscript"
        Console.print("shrunk from \(failure.steps.count) to \(shrunk.steps.count) events: \(shrunk.violation.property)")
        try Console.saveCounterexample(text, to: path, implementation: options.implementation)
        summary.violation?.shrunkEvents = shrunk.steps.count
        summary.violation?.counterexample = path
        try finish(1)
    }

    /// The seeds of `runs` runs from `seed` (run i has seed + i, wrapping past 2⁶⁴ − 1).
    static func seeds(from seed: UInt64, runs: Int) -> [ClosedRange<UInt64>] {
        let last = seed &+ UInt64(runs - 1)
        return last >= seed ? [seed...last] : [0...last, seed...UInt64.max]
    }
}

extension SimulateCommand {
    /// What leader election cost, to compare runs with and without an option:
    /// elections started, terms started, and the longest stretch without a leader.
    static func electionSummary(_ s: Simulation.Statistics) -> String {
        let runs = Double(max(s.runs, 1))
        func perRun(_ total: Int) -> String { String(format: "%.1f", Double(total) / runs) }
        return "elections started \(s.electionsStarted) (\(perRun(s.electionsStarted)) a run; a server became CANDIDATE), "
            + "terms started \(s.termsStarted) (\(perRun(s.termsStarted)) a run; each run's highest term), "
            + "longest stretch without a leader \(s.longestWithoutLeader) steps (\(perRun(s.longestWithoutLeaderSummed)) a run; steps in a row that found no live LEADER)"
    }

    /// A user's program must list the features of section 10 it is asked to run
    /// (node-protocol.md section 6); the error names the one missing.
    static func requireFeatures(prevote: Bool, checkquorum: Bool, transfer: Bool, of implementation: Implementation, command: String) throws {
        guard let program = implementation.program else { return }
        for (feature, wanted) in [("prevote", prevote), ("checkquorum", checkquorum), ("transfer", transfer)]
        where wanted && !program.features.contains(feature) {
            Console.print("raftsh \(command): error: \(ClusterError.missingFeature(feature, program: program.description))", to: .standardError)
            throw ExitCode(2)
        }
    }

    /// A command as the shell would need it typed: in single quotes unless plain.
    static func quoted(_ command: String) -> String {
        command.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+".contains($0) } ? command : "'" + command.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
