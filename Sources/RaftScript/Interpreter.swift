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
    public var interruption: Interruption?
    /// Told how a long command is going once it has run a second (`ProgressMeter`),
    /// and "" when it ends; the shell shows it on a terminal.
    public var progress: (@Sendable (String) -> Void)?

    /// A fresh five-server cluster (or `servers`), as every session and script starts.
    public init(servers: Int = 5, trace: Bool = false) throws(CommandError) {
        do {
            cluster = try Cluster(size: servers)
        } catch {
            throw CommandError(error)
        }
        settings = Settings(trace: trace)
    }

    public mutating func run(_ command: Command) throws(CommandError) -> Reply {
        var trace = Trace(recording: settings.trace)
        var reply = Reply()
        do {
            try execute(command, trace: &trace, reply: &reply)
        } catch let error as ClusterError {
            throw CommandError(error)
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError("\(error)")
        }
        if settings.trace {
            reply.lines = Narrator(cluster: cluster).lines(for: trace.events) + reply.lines
        }
        return reply
    }

    private mutating func execute(_ command: Command, trace: inout Trace, reply: inout Reply) throws {
        switch command {
        case .timeout(let refs):
            for ref in refs { try cluster.timeout(resolve(ref), trace: &trace) }
        case .heartbeat(let ref):
            try cluster.heartbeat(resolve(ref), trace: &trace)
        case .submit(let ref, let value):
            let id = try resolve(ref)
            switch cluster.submit(value, to: id, trace: &trace) {
            case .appended:
                break
            case .notLeader:
                let known = (try? cluster.leader()).map { "; the leader is \(cluster.name($0))" } ?? ""
                reply.lines.append("\(cluster.name(id)) is not LEADER: request ignored\(known)")
            case .serverDown:
                reply.lines.append("\(cluster.name(id)) is down: request ignored")
            }
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
            } else if settings.trace { reply.lines.append("settled after \(count) deliveries") }
        case .partition(let groups):
            try cluster.partition(groups.map { try $0.map(resolve) }, trace: &trace)
        case .isolate(let ref):
            try cluster.partition([[resolve(ref)]], trace: &trace)
        case .heal:
            cluster.heal()
        case .crash(let ref):
            try cluster.crash(resolve(ref), trace: &trace)
        case .restart(let ref):
            try cluster.restart(resolve(ref))
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
                if settings.trace {
                    reply.lines.append("\(cluster.name(leader)) leads term \(cluster[leader].currentTerm) after \(ticks) ticks (now tick \(cluster.now))")
                }
            } else if stop?.isRequested == true {
                reply.lines.append("interrupted after \(ticks) ticks (now tick \(cluster.now))")
            }
        case .clusterOfSize(let size):
            cluster = try Cluster(size: size, configuration: cluster.configuration, timing: cluster.timing)
        case .clusterNamed(let names):
            cluster = try Cluster(names: names, configuration: cluster.configuration, timing: cluster.timing)
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
            reply.lines += try Help.text(for: topic)
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
        case let .unsafe(variant, on): cluster.configure { $0.setUnsafe(variant, on) }
        case .trace(let on): settings.trace = on
        case .prevote(let on), .checkquorum(let on):
            if on { throw CommandError("\(option.name) is reserved for a later version of RaftScript; only `off` is accepted") }
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
