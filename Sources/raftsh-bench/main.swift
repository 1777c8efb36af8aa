// raftsh-bench: throughput of the simulator, one line per section.
//
//   raftsh-bench [SECTION|all] [--requests N]
//
// Sections (all of them, in this order, by default or with `all`):
//   core            RaftCore alone: 5 servers, an election, then N client requests
//                   (default 100,000), each delivered until nothing is in flight.
//   flood           issue 3: `timeout s1` 50,000 times on 5 servers, then `settle`
//                   (about 400,000 deliveries) through RaftCluster; goal < 1 s.
//   flood-script    the same through the RaftScript interpreter.
//   election-1000   issue 3: a 1000-server cluster's election, `timeout s1` +
//                   `settle`, through RaftCluster; goal < 1 s.
//   election-1000-script  the same through the interpreter.
//   simulate        issue 6: simulation events per second, one thread, 5 servers,
//                   every kind of event and every check; goal 5,000,000/s.
//   elections       issue 6: fresh 5-server elections per second; goal 100,000/s.
//   node            issue 17: steps per second through the node protocol against
//                   the Python example (--node CMD for another program), split
//                   into the program's work, the pipe and raftsh's; not in `all`.
//   node-codec      raftsh's side of a node step alone (request written, answer
//                   read; 20-entry logs), without a program, N steps; not in `all`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Section: String, CaseIterable {
    case core
    case flood
    case floodScript = "flood-script"
    case election1000 = "election-1000"
    case election1000Script = "election-1000-script"
    case simulate
    case elections
    case node
    case nodeCodec = "node-codec"

    func run(_ options: Options) -> Measurement {
        switch self {
        case .core: runCore(requests: options.requests)
        case .flood: runFlood(timeouts: 50_000)
        case .floodScript: runFloodScript(timeouts: 50_000)
        case .election1000: runLargeElection(servers: 1000)
        case .election1000Script: runLargeElectionScript(servers: 1000)
        case .simulate: runSimulate(runs: 100)
        case .elections: runElections(count: 100_000)
        case .node: runNode(command: options.node)
        case .nodeCodec: runNodeCodec(rounds: options.requests / 2)
        }
    }
}

struct Options {
    var sections: [Section] = Section.allCases.filter { $0 != .node && $0 != .nodeCodec }
    var requests = 100_000
    var node = "python3 examples/python/leader_election.py"
}

func usage() -> Never {
    let names = (Section.allCases.map(\.rawValue) + ["all"]).joined(separator: "|")
    print("usage: raftsh-bench [\(names)] [--requests N] [--node CMD]")
    exit(2)
}

func parseOptions(_ arguments: ArraySlice<String>) -> Options {
    var options = Options()
    var arguments = arguments
    while let argument = arguments.popFirst() {
        switch argument {
        case "all":
            options.sections = Section.allCases.filter { $0 != .node && $0 != .nodeCodec }
        case "--requests":
            guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else { usage() }
            options.requests = value
        case "--node":
            guard let command = arguments.popFirst() else { usage() }
            options.node = command
        case "-h", "--help":
            usage()
        default:
            guard let section = Section(rawValue: argument) else { usage() }
            options.sections = [section]
        }
    }
    return options
}

let options = parseOptions(CommandLine.arguments.dropFirst())
for section in options.sections {
    let measurement = section.run(options)
    if section != .node, section != .nodeCodec { measurement.report() }
}
