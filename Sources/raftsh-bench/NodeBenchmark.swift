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
    // The rate above is per CPU second of raftsh alone; a person waits for the wall clock.
    lines.append("  \(format(Int((Double(program.steps) / measurement.wallSeconds).rounded()))) steps/s (wall);"
        + " raftsh's CPU time \(per(measurement.cpuSeconds)) per step (its codec, checks and bookkeeping, and its side of the pipe's system calls)")
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

/// `node-codec`: raftsh's side of a node step alone, without a program or a
/// pipe, so that its cost can be counted in instructions (callgrind cannot
/// start the program): the request written and the answer read, as the Python
/// example writes it, for two steps of a 5-server cluster with 20-entry logs:
/// a follower accepting the 20th entry, and the leader counting its reply.
func runNodeCodec(rounds: Int) -> Measurement {
    let names = (1...5).map { "s\($0)" }
    var context = ProgramContext(names: names, configuration: Configuration())
    var writer = JSONWriter()
    var kept = KeptText()
    let entries = (1...20).map { #"{"term":\#(1 + ($0 - 1) / 8),"value":"x=\#($0)"}"# }
    func log(_ count: Int) -> String { "[" + entries.prefix(count).joined(separator: ",") + "]" }
    let follower = #"{"role":"follower","term":3,"votedFor":"s1","log":\#(log(20)),"commitIndex":19,"leaderTerm":3}"#
    let leader = #"{"role":"leader","term":3,"votedFor":"s1","log":\#(log(20)),"commitIndex":20,"votes":["s1","s2","s3"],"#
        + #""nextIndex":{"s2":21,"s3":21,"s4":20,"s5":20},"matchIndex":{"s2":20,"s3":20,"s4":19,"s5":19}}"#
    let followerAnswer = Array((#"{"state":\#(follower),"send":[{"to":"s1","type":"AppendEntriesResponse","term":3,"success":true,"matchIndex":20}],"#
        + #""resetTimer":true,"notes":["accepts entry 20 from s1","commits through index 19 (term 3)"]}"#).utf8)
    let leaderAnswer = Array(#"{"state":\#(leader),"send":[],"resetTimer":false,"notes":["commits through index 20 (term 3)"]}"#.utf8)
    // The states before the steps: the follower has 19 entries, the leader has not yet counted s3's reply.
    func server(_ index: Int, _ state: String) -> ProgramServer {
        var server = ProgramServer(server: Server(id: ServerID(index), clusterSize: 5), state: ProgramState())
        var output = Output()
        do {
            try Node.stepWithoutProgram(.initialize, of: &server, in: &context, answer: Array(#"{"state":\#(state)}"#.utf8), into: &output, writer: &writer, kept: &kept)
        } catch {
            fail("node-codec: \(error)")
        }
        return server
    }
    let followerBefore = server(1, follower.replacingOccurrences(of: log(20), with: log(19)).replacingOccurrences(of: #""commitIndex":19"#, with: #""commitIndex":18"#))
    let leaderBefore = server(0, leader.replacingOccurrences(of: #""s3":21"#, with: #""s3":20"#).replacingOccurrences(of: #""commitIndex":20"#, with: #""commitIndex":19"#))
    let appendEntries = Envelope(from: ServerID(0), to: ServerID(1), message: .appendEntries(AppendEntries(
        term: 3, leader: ServerID(0), prevLogIndex: 19, prevLogTerm: 3, entries: LogEntries([LogEntry(term: 3, value: "x=20")]), leaderCommit: 19
    )))
    let response = Envelope(from: ServerID(2), to: ServerID(0), message: .appendEntriesResponse(AppendEntriesResponse(term: 3, success: true, matchIndex: 20)))
    let measurement = Measurement("node-codec (raftsh's side of a step without the program: request written, answer read; 20-entry logs)") {
        var output = Output()
        for _ in 0..<rounds {
            var server = followerBefore
            do {
                try Node.stepWithoutProgram(.event(.receive(appendEntries)), of: &server, in: &context, answer: followerAnswer, into: &output, writer: &writer, kept: &kept)
                guard server.server.commitIndex == 19, output.messages.count == 1 else { fail("node-codec: the follower's answer was not taken") }
                output.removeAll()
                server = leaderBefore
                try Node.stepWithoutProgram(.event(.receive(response)), of: &server, in: &context, answer: leaderAnswer, into: &output, writer: &writer, kept: &kept)
                guard server.server.commitIndex == 20 else { fail("node-codec: the leader's answer was not taken") }
                output.removeAll()
            } catch {
                fail("node-codec: \(error)")
            }
        }
        return [(2 * rounds, "steps")]
    }
    measurement.report()
    print(String(format: "  %.2f µs cpu per step", measurement.cpuSeconds / Double(2 * rounds) * 1e6))
    return measurement
}
