import ArgumentParser
import Foundation
import RaftCluster
import RaftCore
import RaftScript
import RaftSimulation

/// `raftsh explore`: every interleaving within bounds, breadth-first.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Search every schedule of a small cluster within bounds and check every state.",
        discussion: """
            Breadth-first from a fresh cluster (or the state a script reaches, --from, which \
            must run without an error or a failed expect): every \
            timeout, heartbeat and client request, the delivery of any one message in flight, \
            and, when enabled, dropping or duplicating one, crashing and restarting a server, \
            cutting and healing a link one way (--cuts), \
            a leader's timeout (--checkquorum, or a transfer pending) and a transfer from \
            every leader to every other server (--transfers); --prevote and --checkquorum set \
            the options of raftscript.md section 10. \
            States past a bound are checked but not expanded. States are identified by a \
            64-bit fingerprint, up to a renaming of servers unless --no-symmetry; a visited \
            state costs about 30 bytes. With --node (your own Raft), states are told apart by \
            everything in them, your state's own fields included, and never up to a renaming \
            (raftsh cannot rename server names hidden in fields it does not know). \
            Clusters of 1 to 8 servers. On a \
            violation it writes the shortest schedule to it as a .raftscript ending in a \
            failing `expect safe` and exits 1; 0 when the bounded space is safe. \
            SIGINT or SIGTERM stops the search within a second: the summary counts what was \
            searched (marked partial) and the exit status is 130 or 143. Off a terminal a \
            progress line goes to standard error every 10 seconds (RAFTSH_PROGRESS_SECONDS). \
            --json prints the summary as one JSON object on standard output (keys: command, \
            options, partial, stoppedBy, distinctStates, generatedStates, unreducedStates, depth, \
            queued, seconds, distinctStatesPerSecond, generatedStatesPerSecond, peakMemoryMiB, \
            violation: null or property, description, events, counterexample).

            Levels are expanded on --jobs threads with the same answer as on one (the same \
            states, the same shortest counterexample). Reaching --memory stops the search \
            with a partial summary and exit status 3. On a terminal, a search that will \
            clearly take more than a minute says so after ten levels.

            What bounds cost, from the defaults (distinct states; seconds with one job and \
            with two on this project's quiet 2-core machine, release build):
              defaults                                    1 727 273      5 s     3 s
              --max-in-flight 4                              25 128   0.05 s  0.04 s
              --max-in-flight 5                             271 224    0.6 s   0.4 s
              --max-in-flight 7                           7 470 119     27 s    14 s
              --servers 4                                 3 054 502    7.5 s   4.3 s
              --drops                                     5 834 701     24 s    14 s
              --clients 1 --max-in-flight 5               5 172 937     14 s   7.7 s
              --crashes                                  19 728 036   > 60 s    47 s
              --duplicates                               34 598 659   > 60 s    47 s
              --clients 1                      more than 34 900 000   > 60 s  > 60 s
              --max-term 3                     more than 35 500 000   > 60 s  > 60 s
            """
    )

    @Option(parsing: .unconditional, help: "Servers in the fresh cluster.") var servers = 3
    @Option(parsing: .unconditional, help: "Do not expand states where a term exceeds this.") var maxTerm = 2
    @Option(parsing: .unconditional, help: "Do not expand states where a log is longer than this.") var maxLog = 1
    @Option(parsing: .unconditional, help: "Do not expand states with more messages in flight than this.") var maxInFlight = 6
    @Flag(help: "Crash and restart servers.") var crashes = false
    @Flag(help: "Drop messages.") var drops = false
    @Flag(help: "Duplicate messages.") var duplicates = false
    @Flag(help: "Cut and heal links one way (cut A->B, heal A->B).") var cuts = false
    @Option(parsing: .unconditional, help: "Client requests in all (each with a new value).") var clients = 0
    @Option(help: "Break one rule on purpose.") var unsafe: UnsafeVariant?
    @Flag(help: "Pre-Vote: an election timeout makes a PRECANDIDATE first (raftscript.md section 10).") var prevote = false
    @Flag(help: "CheckQuorum and leader stickiness; leaders' election timers fire too (section 10).") var checkquorum = false
    @Flag(help: "Leadership transfers (transfer S T) as explored actions (section 10).") var transfers = false
    @Option(help: "Start from the state this script reaches.", completion: .file(extensions: ["raftscript"])) var from: String?
    @Flag(inversion: .prefixedNo, help: "Identify states up to a renaming of servers.") var symmetry = true
    @Option(help: "Where to write a counterexample (default: raftsh-explore-violation.raftscript).") var output: String?
    @OptionGroup var node: NodeOptions
    @Flag(help: "With --node: ask every step twice and stop at the first answer that differs (protocol section 8).")
    var checkDeterminism = false
    @Option(help: ArgumentHelp("Expand states on this many threads (default: every core; with --node, 1: with a fast program on 2 cores, 2 were no quicker). The answer does not change. With --node, each runs an instance of the program.", valueName: "n"))
    var jobs: Int?
    @Option(help: ArgumentHelp("Stop, with a partial summary and exit status 3, when the search's tables reach this much memory (e.g. 512M, 4G).", valueName: "size"))
    var memory = MemorySize.mostOfTheMachine
    @Flag(help: "Print the summary as one JSON object on standard output; other lines go to standard error.")
    var json = false

    func validate() throws {
        guard (1...ExploreOptions.maxServers).contains(servers) else {
            throw ValidationError("--servers takes 1 to \(ExploreOptions.maxServers) for exhaustive search")
        }
        for (flag, value) in [("--max-term", maxTerm), ("--max-log", maxLog), ("--max-in-flight", maxInFlight), ("--clients", clients)] where value < 0 {
            throw ValidationError("\(flag) takes 0 or more, not \(value)")
        }
        if node.node != nil, unsafe != nil { throw ValidationError("--unsafe breaks a rule of raftsh's own servers; with --node the rules are your program's") }
        if node.node == nil, checkDeterminism { throw ValidationError("--check-determinism checks a --node program") }
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs takes 1 to 64, not \(jobs)") }
    }

    func run() throws {
        StopSignals.install()
        Console.jsonOnStandardOutput = json
        var options = ExploreOptions()
        options.servers = servers
        options.maxTerm = maxTerm
        options.maxLog = maxLog
        options.maxInFlight = maxInFlight
        options.crashes = crashes
        options.drops = drops
        options.duplicates = duplicates
        options.cuts = cuts
        options.clients = clients
        options.unsafe = unsafe
        options.prevote = prevote
        options.checkQuorum = checkquorum
        options.transfers = transfers
        // A program's own fields may name servers in ways no renaming can see:
        // its states are told apart as they are, never up to a renaming.
        options.symmetry = symmetry && node.node == nil
        options.implementation = try node.implementation(passStandardError: false, checkDeterminism: checkDeterminism)
        options.jobs = jobs ?? (node.node == nil ? ProcessInfo.processInfo.activeProcessorCount : 1)
        options.memoryLimit = memory.bytes
        defer { options.implementation.program?.stop() }
        try SimulateCommand.requireFeatures(prevote: prevote, checkquorum: checkquorum, transfer: transfers, of: options.implementation, command: "explore")

        var start = try startingCluster(options.implementation)
        if let variant = options.unsafe { start.configure { $0.setUnsafe(variant, true) } }
        if prevote { start.configure { $0.prevote = true } }
        if checkquorum { start.configure { $0.checkQuorum = true } }
        let clock = ContinuousClock()
        let began = clock.now
        let progress = ProgressLine(command: "explore", start: began)
        let onTerminal = Console.progressInPlace  // asked once: it reads the environment
        let report: Explorer.Report
        var estimate = SearchEstimate()
        var warned = false
        do {
            report = try Explorer(options: options).explore(from: start, stop: StopSignals.request) { s in
                estimate.observe(s)
                if onTerminal, !warned, let line = Self.longSearchWarning(estimate, rate: Double(s.distinct) / max((clock.now - began).seconds, 1e-9)) {
                    warned = true
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)\n".utf8))
                }
                progress.show { seconds in
                    "depth \(s.depth), \(s.distinct) distinct states, \(Int(Double(s.distinct) / max(seconds, 1e-9)))/s, queue \(s.queued)"
                }
            }
        } catch {
            progress.finish()
            Console.print("raftsh explore: error: \(error)", to: .standardError)
            throw ExitCode(2)
        }
        progress.finish()
        let seconds = (clock.now - began).seconds
        let s = report.statistics
        let saving = options.symmetry ? " (symmetry: they stand for \(s.unreduced) states, \(String(format: "%.1f", Double(s.unreduced) / Double(max(s.distinct, 1))))× fewer)" : ""
        if report.stoppedAtMemoryLimit {
            Console.print("raftsh explore: stopped at the memory limit of \(memory): its tables (\(MemorySize(bytes: s.memory))) could grow no further, with \(s.queued) states still to expand; the summary below is partial (raise --memory, or narrow the bounds)", to: .standardError)
        }
        let partial = report.stopped ? "partial search, stopped by \(StopSignals.stoppedBy): " : report.stoppedAtMemoryLimit ? "partial: " : ""
        Console.print("\(partial)\(s.distinct) distinct states\(saving), \(s.generated) generated, depth \(s.depth), \(String(format: "%.2f", seconds)) s, \(Int(Double(s.distinct) / max(seconds, 1e-9))) distinct states/s, \(Int(Double(s.generated) / max(seconds, 1e-9))) generated/s, peak memory \(Memory.peakMiB()) MiB")
        var summary = ExploreSummary(
            options: options, node: node.node, from: from.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
            statistics: s, seconds: seconds, peakMemoryMiB: Memory.peakMiB(),
            stoppedBy: report.stopped ? StopSignals.stoppedBy : report.stoppedAtMemoryLimit ? "memory limit" : nil
        )
        if report.stopped {
            Console.print("no safety violation in the states searched; \(s.queued) states waiting in the queue were not expanded")
            if json { Console.printJSON(summary.json) }
            throw ExitCode(StopSignals.exitStatus)
        }
        guard let failure = report.failure else {
            if report.stoppedAtMemoryLimit {
                Console.print("no safety violation in the states searched before the memory limit")
                if json { Console.printJSON(summary.json) }
                throw ExitCode(3)
            }
            Console.print("no safety violation within the bounds")
            if json { Console.printJSON(summary.json) }
            return
        }
        Console.print("violation at depth \(failure.steps.count): \(failure.violation.describe { start.name($0) })")
        let setup = from.map { ["source \(URL(fileURLWithPath: $0).standardizedFileURL.path)"] }
        var header = [
            "Found by raftsh explore (\(start.size) servers, terms ≤ \(maxTerm), logs ≤ \(maxLog), ≤ \(maxInFlight) in flight\(options.unsafe.map { ", unsafe \($0.rawValue)" } ?? "")).",
            "A shortest schedule to the violation (\(failure.steps.count) events); replay it with raftsh FILE or `source` it in the shell.",
        ]
        if let command = node.node {
            header[0] = "Found by raftsh explore --node \(SimulateCommand.quoted(command)) (\(start.size) servers, terms ≤ \(maxTerm), logs ≤ \(maxLog), ≤ \(maxInFlight) in flight)."
            header[1] = "A shortest schedule to the violation (\(failure.steps.count) events); replay it against the same program:"
            header.append("  raftsh --node \(SimulateCommand.quoted(command)) FILE")
        }
        let text = Counterexample.script(
            steps: failure.steps, violation: failure.violation, servers: start.size, unsafe: options.unsafe,
            header: header, setup: setup, names: start.names, settings: options.extensionSettings
        )
        let path = output ?? "raftsh-explore-violation.raftscript"
        try Console.saveCounterexample(text, to: path, implementation: options.implementation)
        summary.violation = (failure.violation.property, failure.violation.describe { start.name($0) }, failure.steps.count, path)
        if json { Console.printJSON(summary.json) }
        throw ExitCode(1)
    }

    /// A search that will clearly run long (more than a minute to go, by the
    /// growth of its levels so far) says so, how to stop it and how to narrow it.
    static func longSearchWarning(_ estimate: SearchEstimate, rate: Double) -> String? {
        guard let states = estimate.states, let seconds = estimate.remainingSeconds(rate: rate), seconds > 60 else { return nil }
        let time = seconds < 3600 ? "\(Int(seconds / 60)) min" : seconds < 48 * 3600 ? "\(Int(seconds / 3600)) h" : "\(Int(seconds / 86_400)) days"
        return "raftsh explore: this search looks long: at least about \(Self.rounded(states)) states by the growth of its first \(estimate.throughLevel.count) levels, "
            + "\(time) or more at \(Int(rate)) states/s; Ctrl-C stops it, or narrow the bounds (--max-in-flight, --max-term, --max-log, --clients, fewer --servers)"
    }

    /// A large count to two significant digits: an estimate claims no more.
    static func rounded(_ count: Int) -> String {
        guard count >= 100 else { return "\(count)" }
        let scale = Int(pow(10, floor(log10(Double(count))) - 1))
        let value = (count + scale / 2) / scale * scale
        for (unit, size) in [("billion", 1_000_000_000), ("million", 1_000_000)] where value >= size {
            return String(format: "%g \(unit)", Double(value) / Double(size))
        }
        return "\(value)"
    }

    private func startingCluster(_ implementation: Implementation) throws -> Cluster {
        guard let from else {
            do {
                return try Cluster(size: servers, implementation: implementation)
            } catch {
                Console.print("raftsh explore: error: \(error)", to: .standardError)
                throw ExitCode(2)
            }
        }
        var runner = ScriptRunner(interpreter: try Interpreter(servers: servers, implementation: implementation)) { output in
            if case .diagnostic(let diagnostic) = output { Console.print(diagnostic.description, to: .standardError) }
        }
        let summary = runner.run(file: from)
        guard !summary.errored else { throw ExitCode(2) }
        // A failed expect means the state is not the one the script describes:
        // searching from it would answer a question nobody asked.
        guard summary.failedExpectations == 0 else {
            let count = summary.failedExpectations
            Console.print(
                "raftsh explore: error: \(from): \(count) expectation\(count == 1 ? "" : "s") failed, so it does not reach the state it describes; fix it before exploring from it",
                to: .standardError
            )
            throw ExitCode(2)
        }
        let cluster = runner.interpreter.cluster
        guard cluster.size <= ExploreOptions.maxServers else {
            Console.print(
                "raftsh explore: error: \(from) leaves a cluster of \(cluster.size) servers; exhaustive search takes 1 to \(ExploreOptions.maxServers)",
                to: .standardError
            )
            throw ExitCode(2)
        }
        return cluster
    }
}
