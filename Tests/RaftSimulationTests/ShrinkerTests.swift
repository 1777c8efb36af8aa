import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// Shrinking removes a step together with what it caused: a whole election
/// goes at once, and every other delivery keeps its own message. Alone the
/// suite takes seconds; the limit is the other simulation suites', which run
/// beside it on two cores.
@Suite(.timeLimit(.minutes(3)))
struct ShrinkerTests {
    static func options(servers: Int = 3, unsafe: UnsafeVariant? = nil) -> SimulationOptions {
        var options = SimulationOptions()
        options.servers = servers
        options.unsafe = unsafe
        return options
    }

    /// Steps from script lines (`timeout s1`, `deliver s1->s2 nth 2`, `submit s1 v1`, `crash s1`, `restart s1`).
    static func steps(_ script: String) -> [Step] {
        func id(_ name: Substring) -> ServerID { ServerID(Int(name.dropFirst())! - 1) }
        return script.split(separator: "\n").map { line in
            let words = line.split(separator: " ")
            switch words[0] {
            case "timeout": return .timeout(id(words[1]))
            case "submit": return .submit(id(words[1]), String(words[2]))
            case "crash": return .crash(id(words[1]))
            case "restart": return .restart(id(words[1]))
            case "deliver":
                let link = words[1].split(separator: "->")
                let position = words.count == 4 ? Int(words[3])! - 1 : 0
                return .deliver(from: id(link[0]), to: id(link[1]), position: position)
            default: preconditionFailure("no such step in these tests: \(line)")
            }
        }
    }

    /// Removing a timeout removes the deliveries of its RequestVotes and of the
    /// votes they sent back; the election after it stays, step for step.
    @Test func removingATimeoutRemovesTheElectionItStarted() throws {
        let steps = Self.steps("""
            timeout s1
            deliver s1->s2
            deliver s2->s1
            timeout s3
            deliver s3->s2
            deliver s2->s3
            """)
        let schedule = try CausalSchedule(replaying: steps, options: Self.options())
        let replay = try schedule.replay(keeping: { $0 != 0 }, options: Self.options())
        #expect(replay.steps == Array(steps[3...]))
        #expect(replay.violation == nil)
    }

    /// A delivery keeps its message when an older one on its link was never
    /// sent: its `nth` is rewritten to the message's new place, where a replay
    /// by place would find no such message and skip it.
    @Test func aDeliveryKeepsItsMessageWhenAnOlderOneOnItsLinkIsRemoved() throws {
        let steps = Self.steps("""
            timeout s1
            timeout s1
            deliver s1->s2 nth 2
            deliver s2->s1
            """)
        let schedule = try CausalSchedule(replaying: steps, options: Self.options())
        #expect(schedule.acts.compactMap { $0?.step } == [1, 2])
        let replay = try schedule.replay(keeping: { $0 != 0 }, options: Self.options())
        #expect(replay.steps == Self.steps("""
            timeout s1
            deliver s1->s2
            deliver s2->s1
            """))
    }

    /// Figure 8 in 55 events, as the shrinker left it before it removed steps
    /// with their consequences: no single step can go, nor (it checked) any
    /// pair. Whole elections can, and it shrinks to at most 40 events that
    /// still fail, and hold without the broken rule.
    @Test func aScheduleWithNoStepNorPairToSpareLosesWholeElections() throws {
        let options = Self.options(servers: 5, unsafe: .commitOldTerms)
        let steps = Self.steps("""
            crash s4
            timeout s3
            deliver s3->s5
            deliver s5->s3
            deliver s3->s1
            deliver s1->s3
            restart s4
            timeout s5
            submit s3 v14
            deliver s3->s5
            deliver s3->s5
            deliver s3->s4
            timeout s1
            deliver s1->s2
            deliver s1->s5
            crash s3
            crash s1
            restart s1
            timeout s1
            deliver s1->s5
            deliver s1->s2
            deliver s2->s1
            deliver s5->s1
            submit s1 v16
            crash s2
            restart s2
            deliver s1->s4
            restart s3
            crash s1
            timeout s4
            deliver s4->s3
            deliver s3->s4
            timeout s3
            deliver s3->s4
            deliver s3->s2
            deliver s4->s3
            deliver s2->s3
            deliver s3->s5 nth 2
            deliver s3->s4
            deliver s5->s3
            restart s1
            deliver s3->s5
            deliver s4->s3
            deliver s3->s5
            deliver s5->s3
            deliver s5->s3
            crash s5
            restart s5
            timeout s4
            deliver s4->s1
            timeout s1
            deliver s1->s2
            deliver s1->s5
            deliver s2->s1
            deliver s5->s1
            """)
        #expect(steps.count == 55)
        let shrinker = Shrinker(options: options, property: "Leader Completeness")
        #expect(try shrinker.replay(steps)?.steps == steps)
        for first in steps.indices {
            var without = steps
            without.remove(at: first)
            #expect(try shrinker.replay(without) == nil, "step \(first + 1) is not needed")
        }
        let shrunk = try #require(try shrinker.shrink(steps))
        #expect(shrunk.steps.count <= 40)
        #expect(try shrinker.replay(shrunk.steps)?.steps == shrunk.steps)
        var safe = options
        safe.unsafe = nil
        #expect(try Shrinker(options: safe, property: "Leader Completeness").replay(shrunk.steps) == nil)
    }
}
