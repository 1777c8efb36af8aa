// raftsh-bench: throughput of the simulator.
//
//   raftsh-bench [core|all] [--requests N]
//
// Sections:
//   core  one RaftCore cluster of 5 servers in process: an election, then N
//         client requests (default 100,000), each submitted to the leader and
//         followed by delivering every message until none is in flight.
// Later sections (cluster-level: `timeout s1` 50,000 times + settle on 5
// servers; a 1000-server election + settle) become further `Section` cases,
// each with a `run…` function returning a `Measurement`, dispatched at the bottom.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RaftCore

// MARK: - Arguments

enum Section: String, CaseIterable {
    case core

    /// What `raftsh-bench all` runs, in order.
    static let all: [Section] = allCases
}

struct Options {
    var sections: [Section] = Section.all
    var requests = 100_000
}

func usage() -> Never {
    let names = (Section.allCases.map(\.rawValue) + ["all"]).joined(separator: "|")
    print("usage: raftsh-bench [\(names)] [--requests N]")
    exit(2)
}

func parseOptions(_ arguments: ArraySlice<String>) -> Options {
    var options = Options()
    var arguments = arguments
    while let argument = arguments.popFirst() {
        switch argument {
        case "all":
            options.sections = Section.all
        case "--requests":
            guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else { usage() }
            options.requests = value
        case "-h", "--help":
            usage()
        default:
            guard let section = Section(rawValue: argument) else { usage() }
            options.sections = [section]
        }
    }
    return options
}

// MARK: - Measuring

/// CPU time used by this process so far, in seconds: on a busy machine the
/// wall clock also counts time spent waiting for a core.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

struct Measurement {
    var name: String
    /// Wall-clock time on the monotonic clock; the rates are computed from it.
    var duration: Duration
    var cpuSeconds: Double
    var messages: Int
    var commits: Int

    var seconds: Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) * 1e-18
    }

    func report() {
        let perSecond = { (count: Int) in Int((Double(count) / seconds).rounded()) }
        let milliseconds = format(Int((seconds * 1000).rounded()))
        let cpuMilliseconds = format(Int((cpuSeconds * 1000).rounded()))
        print("\(name): \(format(messages)) messages, \(format(commits)) commits in \(milliseconds) ms"
            + " (cpu \(cpuMilliseconds) ms)"
            + " = \(format(perSecond(messages))) messages/s, \(format(perSecond(commits))) commits/s")
    }
}

/// 1234567 → "1,234,567".
func format(_ value: Int) -> String {
    let digits = Array(String(value.magnitude))
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
}

func fail(_ message: String) -> Never {
    print("raftsh-bench: \(message)")
    exit(1)
}

// MARK: - core: RaftCore alone

/// Servers in an array plus one FIFO queue of messages in flight.
///
/// Servers are mutated in place (`servers[i].handle`), never copied out, so a
/// log's buffer stays uniquely referenced and appending stays O(1) amortized.
///
/// The queue is the `messages` buffer of the one `Output` every event is
/// handled into: a server only appends to it, so what it sends lands at the
/// back of the queue without being copied, and the buffer is emptied (keeping
/// its capacity) once everything has been delivered. The other fields of the
/// output (timer resets, log changes) are not used here.
struct CoreCluster {
    var servers: [Server]
    private var output = Output()
    private var head = 0
    private(set) var delivered = 0

    init(size: Int) {
        servers = (0..<size).map { Server(id: ServerID($0), clusterSize: size) }
    }

    /// Handles an event at one server; what it sends joins the queue.
    mutating func fire(_ event: Event, at index: Int) {
        servers[index].handle(event, into: &output)
    }

    /// Delivers messages in the order sent until none is left.
    mutating func settle() {
        while head < output.messages.count {
            let envelope = output.messages[head]
            head += 1
            servers[envelope.to.index].handle(.receive(envelope), into: &output)
            delivered += 1
        }
        output.removeAll()
        head = 0
    }
}

func runCore(requests: Int) -> Measurement {
    let clock = ContinuousClock()
    var cluster = CoreCluster(size: 5)
    let leader = 0
    let values = (0..<100).map { "v\($0)" }

    let start = clock.now
    let cpuStart = processCPUSeconds()
    cluster.fire(.electionTimeout, at: leader)
    cluster.settle()
    guard case .leader = cluster.servers[leader].role else { fail("core: s1 did not win the election") }
    let committedBefore = cluster.servers[leader].commitIndex
    for request in 0..<requests {
        cluster.fire(.clientRequest(values[request % values.count]), at: leader)
        cluster.settle()
    }
    let duration = clock.now - start
    let cpuSeconds = processCPUSeconds() - cpuStart

    let commits = cluster.servers[leader].commitIndex - committedBefore
    guard commits == requests else { fail("core: \(commits) of \(requests) requests committed") }
    for server in cluster.servers where server.log.lastIndex != requests || server.commitIndex < requests - 1 {
        fail("core: \(server.id) has \(server.log.lastIndex) entries, commit index \(server.commitIndex)")
    }
    return Measurement(
        name: "core (5 servers, election + \(format(requests)) requests)",
        duration: duration, cpuSeconds: cpuSeconds, messages: cluster.delivered, commits: commits
    )
}

// MARK: - Main

let options = parseOptions(CommandLine.arguments.dropFirst())
for section in options.sections {
    switch section {
    case .core:
        runCore(requests: options.requests).report()
    }
}
