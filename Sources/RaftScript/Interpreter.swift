import RaftCluster
import RaftCore

/// Carries out commands on a cluster and says what happened.
///
/// It reads no files and prints nothing: a command goes in, a `Reply` (or a
/// `CommandError`) comes out. `source` is the caller's business.
public struct Interpreter: Sendable {
    public internal(set) var cluster: Cluster
    public internal(set) var settings: Settings
    /// Checked between two events by long commands (`settle`): the shell's Ctrl-C.
    public var interruption: StopRequest?
    /// Whether each reply carries its command's trace events (`Reply.events`), for
    /// a chart of the run; off, a command records nothing it does not narrate.
    public var keepsEvents = false
    /// Told how a long command is going once it has run a second (`ProgressMeter`),
    /// and "" when it ends; the shell shows it on a terminal.
    public var progress: (@Sendable (String) -> Void)?

    /// A fresh five-server cluster (or `servers`), as every session and script
    /// starts, of raftsh's own servers or a user's program's.
    public init(servers: Int = 5, trace: Bool = false, implementation: Implementation = .builtIn) throws(CommandError) {
        do {
            cluster = try Cluster(size: servers, implementation: implementation)
        } catch {
            throw CommandError(error)
        }
        settings = Settings(trace: trace)
    }

    public mutating func run(_ command: Command) throws(CommandError) -> Reply {
        var trace = Trace(recording: settings.trace || keepsEvents)
        var reply = Reply()
        var events: [String] = []
        do {
            try execute(command, trace: &trace, reply: &reply, events: &events)
        } catch let error as ClusterError {
            throw CommandError(error)
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError("\(error)")
        }
        if settings.trace {
            let narrator = Narrator(cluster: cluster)
            // On a terminal a long sentence wraps under its own start, after the server's name.
            let narrated = (events + narrator.lines(for: trace.events)).flatMap {
                Render.wrap($0, width: settings.width, indent: narrator.sentenceColumn)
            }
            reply.lines = narrated + reply.lines
        }
        if keepsEvents { reply.events = trace.events }
        return reply
    }

    /// Narrates what a command did to the cluster itself (not a server's rule):
    /// crashes, restarts, partitions. Only while tracing.
    func narrate(_ text: String, by id: ServerID? = nil, into events: inout [String]) {
        if settings.trace { events.append(Narrator(cluster: cluster).event(text, by: id)) }
    }

    /// A line only a tracing session prints, marked as raftsh's narration.
    private func narration(_ text: String, into reply: inout Reply) {
        if settings.trace { reply.lines.append(Narrator.mark(text)) }
    }

    private mutating func execute(_ command: Command, trace: inout Trace, reply: inout Reply, events: inout [String]) throws {
        switch command {
        case .timeout(let refs):
            for ref in refs { try cluster.timeout(resolve(ref), trace: &trace) }
        case .heartbeat(let ref):
            try cluster.heartbeat(resolve(ref), trace: &trace)
        case .submit(let ref, let value):
            let id = try resolve(ref)
            switch try cluster.submit(value, to: id, trace: &trace) {
            case .appended:
                break
            case .notLeader:
                let known = (try? cluster.leader()).map { "; the leader is \(cluster.name($0))" } ?? ""
                reply.lines.append("\(cluster.name(id)) is not LEADER: request ignored\(known)")
            case .serverDown:
                reply.lines.append("\(cluster.name(id)) is down: request ignored")
            case .refused(let reason):
                reply.lines.append("\(cluster.name(id)) refused the request" + (reason.map { ": \($0)" } ?? ""))
            case .transferPending(let target):
                reply.lines.append("\(cluster.name(id)) is handing leadership over to \(cluster.name(target)): request ignored")
            }
        case let .transfer(leaderRef, targetRef):
            try cluster.transfer(resolve(leaderRef), to: resolve(targetRef), trace: &trace)
        case .deliver(let selection):
            try deliver(selection, trace: &trace, reply: &reply)
        case .drop(let selection):
            try drop(selection, trace: &trace, reply: &reply)
        case let .duplicate(from, to, position):
            try duplicate(from: from, to: to, position: position, trace: &trace)
        case .settle(let bound):
            let stop = interruption
            var meter = ProgressMeter(progress)
            defer { meter.finish() }
            var delivered = 0
            let count = try cluster.settle(maxDeliveries: bound ?? 100_000, trace: &trace) {
                delivered += 1
                meter.step("settle: \(delivered) deliveries")
                return stop?.isRequested ?? false
            }
            if stop?.isRequested == true, !cluster.network.isEmpty {
                reply.lines.append("settle interrupted after \(count) deliveries; \(cluster.network.count) still in flight")
            } else {
                narration("settled after \(count) deliveries", into: &reply)
            }
        case .partition(let groups):
            try cluster.partition(groups.map { try $0.map(resolve) }, trace: &trace)
            narratePartition(into: &events)
        case .isolate(let ref):
            try cluster.partition([[resolve(ref)]], trace: &trace)
            narratePartition(into: &events)
        case .heal:
            let wasPartitioned = cluster.groups != nil, cutLinks = cluster.cuts.count
            cluster.heal()
            let cuts = cutLinks == 0 ? "" : " and \(cutLinks) cut link\(cutLinks == 1 ? "" : "s") healed"
            if wasPartitioned || cutLinks > 0 {
                narrate("network healed\(cuts): every server reaches every other again (nothing lost comes back)", into: &events)
            } else {
                narrate("heal: the network was not partitioned", into: &events)
            }
        case let .cut(fromRef, toRef, bothWays):
            try cut(resolve(fromRef), resolve(toRef), bothWays: bothWays, trace: &trace, reply: &reply, events: &events)
        case let .healCut(fromRef, toRef, bothWays):
            try healCut(resolve(fromRef), resolve(toRef), bothWays: bothWays, reply: &reply, events: &events)
        case .crash(let refs):
            // All checked first, so that a bad name leaves every server as it was.
            let ids = try resolveAll(refs, up: true)
            for id in ids {
                if settings.trace {
                    let inbound = cluster.network.messages.count { $0.to == id }
                    narrate("crashes: it handles nothing until it restarts; messages to it are lost" + (inbound > 0 ? " (\(inbound) in flight now)" : ""), by: id, into: &events)
                }
                try cluster.crash(id, trace: &trace)
            }
        case .restart(let refs):
            for id in try resolveAll(refs, up: false) {
                try cluster.restart(id)
                let server = cluster[id]
                narrate("restarts as FOLLOWER: term \(server.currentTerm), votedFor \(name(server.votedFor)) and its log (\(server.log.lastIndex) entr\(server.log.lastIndex == 1 ? "y" : "ies")) kept; commit index 0, as it is volatile", by: id, into: &events)
            }
        case .tick(let count):
            try tick(count, trace: &trace, reply: &reply)
        case .tickUntilLeader(let bound):
            let stop = interruption
            var meter = ProgressMeter(progress)
            defer { meter.finish() }
            var ticked = 0
            let most = bound ?? 1000
            let ticks = try cluster.tickUntilLeader(maxTicks: most, trace: &trace) {
                meter.step("tick until leader: \(ticked) of at most \(most) ticks, no leader yet")
                ticked += 1
                return stop?.isRequested ?? false
            }
            if let leader = cluster.establishedLeader {
                narration("\(cluster.name(leader)) leads term \(cluster[leader].currentTerm) after \(ticks) ticks (now tick \(cluster.now))", into: &reply)
            } else if stop?.isRequested == true {
                reply.lines.append("interrupted after \(ticks) ticks (now tick \(cluster.now))")
            }
        case .clusterOfSize(let size):
            cluster = try Cluster(size: size, configuration: cluster.configuration, timing: cluster.timing, implementation: cluster.implementation)
        case .clusterNamed(let names):
            cluster = try Cluster(names: names, configuration: cluster.configuration, timing: cluster.timing, implementation: cluster.implementation)
        case .setTerm(let ref, let term):
            try cluster.setTerm(resolve(ref), to: term)
        case .setLog(let ref, let entries):
            try cluster.setLog(resolve(ref), to: Log(entries))
        case .setVoted(let ref, let candidate):
            try cluster.setVotedFor(resolve(ref), to: candidate.map(resolve))
        case .setCommit(let ref, let index):
            try cluster.setCommitIndex(resolve(ref), to: index)
        case .setOption(let option):
            try set(option)
        case .show(let target):
            reply.lines += try show(target)
        case .help(let topic):
            reply.lines += try Help.text(for: topic, width: settings.width)
        case .echo(let text):
            reply.lines.append(text)
        case .expect(let assertion):
            reply.failure = try check(assertion)
        case .source:
            throw CommandError("`source` needs a file system; it runs in the shell and in scripts")
        }
    }

    /// Turns a reference into a server of this cluster.
    func resolve(_ ref: ServerRef) throws(CommandError) -> ServerID {
        switch ref {
        case .leader:
            do { return try cluster.leader() } catch { throw CommandError(error) }
        case .named(let name):
            if let id = cluster.id(named: name) { return id }
            var message = "unknown server \(quoted(name))"
            if let near = cluster.names.first(where: { $0.lowercased() == name.lowercased() }) {
                message += "; server names are case-sensitive: did you mean `\(near)`?"
            } else {
                message += " (the servers are \(Self.summarize(cluster.names)))"
            }
            throw CommandError(message)
        }
    }

    /// Why `set unsafe` is refused when the servers are a user's program.
    public static func unsafeWithProgram(_ program: any ServerProgram) -> String {
        "`set unsafe` breaks a rule of raftsh's own servers; the servers here are \(program.description), whose rules are its own"
    }

    /// The servers of a `crash` (each must be up) or a `restart` (each must be
    /// down), named once each.
    private func resolveAll(_ refs: [ServerRef], up: Bool) throws(CommandError) -> [ServerID] {
        var ids: [ServerID] = []
        for ref in refs {
            let id = try resolve(ref)
            guard !ids.contains(id) else { throw CommandError("\(cluster.name(id)) is named twice") }
            guard cluster.isUp[id.index] == up else {
                throw CommandError(up ? ClusterError.serverDown(cluster.name(id)) : ClusterError.serverUp(cluster.name(id)))
            }
            ids.append(id)
        }
        return ids
    }

    /// "network partitioned: s1 s2 | s3 s4 s5", every group named.
    private func narratePartition(into events: inout [String]) {
        guard let groups = cluster.groups else { return }
        let members = Dictionary(grouping: cluster.ids, by: { groups[$0.index] }).sorted { $0.key < $1.key }
        let written = members.map { $0.value.map(cluster.name).joined(separator: " ") }.joined(separator: " | ")
        narrate("network partitioned: \(written); messages between groups are lost until `heal`", into: &events)
    }

    static func summarize(_ names: [String]) -> String {
        names.count <= 8 ? names.joined(separator: " ") : "\(names[0]) … \(names[names.count - 1])"
    }

    private mutating func set(_ option: OptionSetting) throws(CommandError) {
        switch option {
        case .seed(let seed): cluster.reseed(seed)
        case .electionTimeout(let range): cluster.setTiming(electionTimeout: range)
        case .heartbeatInterval(let interval): cluster.setTiming(heartbeatInterval: interval)
        case .latency(let range): cluster.setTiming(latency: range)
        case .loss(let p): cluster.setTiming(loss: p)
        case .noop(let on): cluster.configure { $0.noop = on }
        case let .unsafe(variant, on):
            if let program = cluster.implementation.program {
                throw CommandError(Self.unsafeWithProgram(program))
            }
            cluster.configure { $0.setUnsafe(variant, on) }
        case .trace(let on): settings.trace = on
        case .prevote(let on):
            try requireFeature("prevote", on: on)
            cluster.configure { $0.prevote = on }
        case .checkquorum(let on):
            try requireFeature("checkquorum", on: on)
            cluster.configure { $0.checkQuorum = on }
        }
    }

    /// Turning on an option of section 10 for a user's program that does not
    /// list it among its features is an error naming the feature (node protocol, section 6).
    private func requireFeature(_ feature: String, on: Bool) throws(CommandError) {
        if on, let program = cluster.implementation.program, !program.features.contains(feature) {
            throw CommandError(ClusterError.missingFeature(feature, program: program.description))
        }
    }
}

extension OptionSetting {
    var name: String {
        switch self {
        case .seed: "seed"
        case .electionTimeout: "election-timeout"
        case .heartbeatInterval: "heartbeat-interval"
        case .latency: "latency"
        case .loss: "loss"
        case .noop: "noop"
        case .prevote: "prevote"
        case .checkquorum: "checkquorum"
        case .trace: "trace"
        case .unsafe: "unsafe"
        }
    }
}
