import Foundation
import RaftCluster
import RaftCore
import RaftNode
import RaftScript

// Issue 17's speed goals: a fixed scripted workload through the node protocol.

/// `node`: the Python example (or `--node CMD`) as the servers of a 5-server
/// cluster: 50 times a fresh cluster, an election, and 20 client requests each
/// replicated and committed (`submit` + `settle`), so logs stay at most 20
/// entries long. Where a step's time goes: the program's handler and its JSON
/// (from the adapter's RAFTNODE_STATS), the pipe, and raftsh (its encoding,
/// decoding and checks, and the cluster's bookkeeping).
func runNode(command: String) -> Measurement {
    let stats = NSTemporaryDirectory() + "raftsh-bench-node-\(getpid()).json"
    defer { try? FileManager.default.removeItem(atPath: stats) }
    let node: Node
    do {
        node = try Node(command: "RAFTNODE_STATS=\(stats) " + command)
    } catch {
        fail("node: \(error)")
    }
    var program: Node.Timing!
    var lines: [String] = []
    let measurement = Measurement("node (\(command): 50 × a fresh 5-server cluster, an election, 20 requests committed)") {
        var interpreter = try! Interpreter(servers: 5, implementation: .program(node))
        let commands = ["cluster 5", "timeout s1", "settle"] + (1...20).flatMap { ["submit s1 x=\($0)", "settle"] }
        let parsed = commands.map { try! Parser.parse($0)! }
        for _ in 0..<50 {
            for command in parsed {
                do { _ = try interpreter.run(command) } catch { fail("node: \(error)") }
            }
            guard interpreter.cluster[ServerID(4)].commitIndex == 19 else { fail("node: s5 did not commit 19 entries") }
        }
        program = node.timing
        return [(program.steps, "steps")]
    }
    node.stop()  // the adapter writes its statistics at the end of its input
    var handler = 0.0, total = 0.0, steps = 0
    for _ in 0..<100 where steps == 0 {
        if let data = FileManager.default.contents(atPath: stats),
            let object = try? JSONParser.parse(Array(data)),
            case .int(let count) = object["steps"], let h = object["handlerSeconds"], let t = object["totalSeconds"]
        {
            steps = count
            handler = h.number
            total = t.number
        } else {
            usleep(20_000)
        }
    }
    let per = { (seconds: Double) in String(format: "%.1f µs", seconds / Double(max(program.steps, 1)) * 1e6) }
    if steps == 0 {
        lines.append("  (the program wrote no RAFTNODE_STATS: only raftsh's side is split)")
    } else {
        lines.append("  per step: wall \(per(measurement.wallSeconds)) = node handler \(per(handler)) + node JSON \(per(total - handler))"
            + " + pipe \(per(program.exchangeSeconds - total)) + raftsh codec and checks \(per(program.stepSeconds - program.exchangeSeconds))"
            + " + cluster \(per(measurement.wallSeconds - program.stepSeconds))")
        lines.append("  the rest (wall minus the node's own read-to-write time): \(per(measurement.wallSeconds - total)) per step")
    }
    measurement.report()
    for line in lines { print(line) }
    return measurement
}

extension JSON {
    fileprivate var number: Double {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: 0
        }
    }
}
