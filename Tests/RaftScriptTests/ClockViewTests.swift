import RaftCluster
import RaftCore
import Testing

@testable import RaftScript

/// The clock made visible (issue: "the clock is invisible under `tick`"): once
/// time has moved, the prompt and `show` say the tick, `show` and `show S` each
/// server's timer, and `show net` each message's due tick.
@Suite(.timeLimit(.minutes(3)))
struct ClockViewTests {
    private func prompts(_ lines: [String]) throws -> [String] {
        var session = Session(interpreter: try Interpreter(), mode: .interactive) { _ in }
        var source = ScriptedLines(lines)
        _ = session.run(&source)
        return source.prompts
    }

    @Test func theViewsShowNoClockBeforeTimeMoves() {
        let run = Run("timeout s1\nshow\nshow s1\nshow net")
        #expect(!run.lines.contains { $0.contains("timer") || $0.contains("tick") || $0.contains("due") })
    }

    @Test func showGivesTheTickAndEveryServersTimer() throws {
        let run = Run("set seed 3\ntick 5\nshow")
        let cluster = run.interpreter.cluster
        #expect(run.lines[0].contains("  timer  "))
        for id in cluster.ids {
            let deadline = try #require(cluster.electionDeadline[id.index])
            #expect(deadline > 5)
            #expect(run.lines[id.index + 1].contains("election \(deadline)"))
        }
        #expect(run.lines.last == "tick 5; 0 messages in flight")
    }

    @Test func showServerGivesALeadersNextHeartbeatAndAFollowersDeadline() throws {
        let run = Run("set seed 3\ntick until leader\nshow leader\nshow s2")
        let cluster = run.interpreter.cluster
        let leader = try cluster.leader()
        let now = cluster.now
        let heartbeat = try #require(cluster.heartbeatDue[leader.index])
        #expect(run.lines.contains("now             tick \(now)"))
        #expect(run.lines.contains("next heartbeat  tick \(heartbeat) (in \(heartbeat - now) tick\(heartbeat - now == 1 ? "" : "s"))"))
        #expect(run.lines.contains("election timer  none (a LEADER runs one only with checkquorum on or a transfer pending)"))
        let s2 = try #require(cluster.id(named: "s2"))
        let deadline = try #require(cluster.electionDeadline[s2.index])
        #expect(run.lines.contains { $0 == "election timer  fires at tick \(deadline) (in \(deadline - now) ticks)" })
    }

    @Test func showNetGivesEachMessagesDueTick() {
        let run = Run("set seed 3\nset latency 2 5\ntick 2\ntimeout s1\nshow net")
        let messages = run.interpreter.cluster.network.messages
        #expect(messages.count == 4)
        for (position, message) in messages.enumerated() {
            #expect(run.lines[position].hasPrefix("\(position + 1).  s1->s\(position + 2)  due \(message.deliverAt)  RequestVote("))
            #expect((4...7).contains(message.deliverAt))
        }
        #expect(run.lines.last == "now tick 2")
    }

    @Test func thePromptShowsTheTickOnceTimeMoves() throws {
        #expect(try prompts(["tick 3", "timeout s1"]) == [
            "raft[no leader t0]> ",
            "raft[no leader t0, tick 3]> ",
            "raft[no leader t1, tick 3, 4 in flight]> ",
        ])
    }

    /// The prompt names the server `leader` names; when servers cut off from it
    /// have moved on, it gives the highest term as well.
    @Test func thePromptGivesTheHighestTermBeyondAStaleLeader() throws {
        let prompts = try prompts(["timeout s1", "settle", "isolate s1", "timeout s2", "timeout s2", "timeout s3"])
        #expect(prompts.last == "raft[s1 leader t1, highest t3, 9 in flight]> ")
    }
}
