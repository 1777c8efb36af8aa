import Foundation
import RaftCluster
import RaftScript
import Testing

@testable import RaftChart

@Suite("The SVG chart", .timeLimit(.minutes(3)))
struct SVGChartTests {
    /// Records a script's text and draws it.
    func draw(_ text: String) throws -> (recording: Recording, svg: ParsedSVG) {
        let (recording, _) = try ChartRun.record(script: text)
        let svg = try #require(ParsedSVG(SVGChart.render(recording)))
        return (recording, svg)
    }

    @Test(arguments: ["rules/split-vote.raftscript", "paper/figure8.raftscript", "rules/crash-restart.raftscript", "paper/figure7-repair.raftscript"])
    func oneArrowPerDeliveredMessageAndOneLanePerServer(_ name: String) throws {
        let (recording, summary) = try ChartRun.record(file: script(name))
        #expect(summary.exitStatus == 0)
        let svg = try #require(ParsedSVG(SVGChart.render(recording)), "well-formed XML")
        let cluster = try #require(recording.steps.last?.cluster)
        // Each cluster counts the messages its servers handled (figure 8 makes a new one midway).
        var deliveries = cluster.deliveries
        for (step, next) in zip(recording.steps, recording.steps.dropFirst()) where next.line.hasPrefix("cluster") {
            deliveries += step.cluster.deliveries
        }
        #expect(deliveries > 0)
        #expect(svg.count("g", class: "msg delivered") == deliveries)
        #expect(svg.count("g", class: "lane") == cluster.size)
        #expect(svg.all("g", class: "lane").map { $0.attributes["data-server"] ?? "" } == cluster.names)
        #expect(svg.count("g", class: "msg in-flight") == cluster.network.count)
    }

    @Test func deliveriesCountedByHand() throws {
        // s1's four RequestVotes, then the four answers: eight arrows; the new
        // leader's four AppendEntries are left in flight.
        let (_, svg) = try draw("timeout s1\ndeliver s1->*\ndeliver *->s1\nexpect s1 leader")
        #expect(svg.count("g", class: "msg delivered") == 8)
        #expect(svg.all("g", class: "msg in-flight").count == 4)
        #expect(svg.all("text", class: "label").filter { $0.groupClass == "msg in-flight" }.map(\.text) == Array(repeating: "AE t1 c0", count: 4))
        let labels = svg.all("text", class: "label").filter { $0.groupClass == "msg delivered" }.map(\.text)
        #expect(labels.filter { $0 == "RV t1" }.count == 4)
        #expect(labels.filter { $0 == "✓ t1" }.count == 4)
    }

    @Test func dropsAndCrashesAreMarkedAtTheirStep() throws {
        let (recording, svg) = try draw("""
            timeout s1
            drop s1->s2
            crash s3
            deliver all
            partition s1 | s2 s4 s5
            timeout s4
            """)
        let dropped = svg.all("g", class: "msg dropped")
        // drop s1->s2 (step 1); crash s3 loses s1's RequestVote to s3 (step 2);
        // the partition cuts the answers of s4 and s5 on their way to s1 (step 4);
        // of s4's RequestVotes (step 5) the one to s1 is cut and the one to s3 is lost.
        #expect(dropped.map { $0.attributes["data-step"] } == ["1", "2", "4", "4", "5", "5"])
        #expect(svg.count("path", class: "cross") == 7)  // six drops and the crash
        // A message the network swallows at once ends in its sender's row.
        let swallowed = recording.messages.filter { if case .dropped(let row, _) = $0.end { row == $0.sentRow } else { false } }
        #expect(swallowed.map { recording.lanes[$0.to] } == ["s1", "s3"])
        #expect(recording.messages.filter { $0.end == .inFlight }.map { recording.lanes[$0.to] } == ["s2", "s5"])
        #expect(svg.all("g", class: "crash").map { $0.attributes["data-step"] } == ["2"])
        #expect(svg.count("g", class: "msg delivered") == 2)  // s1->s4, s1->s5
        #expect(recording.steps.count == 6)
        #expect(svg.count("g", class: "partition") == 1)
    }

    @Test func restartIsMarked() throws {
        let (_, svg) = try draw("crash s2\nrestart s2")
        #expect(svg.count("text", class: "restart") == 1)
        #expect(svg.elements.contains { $0.name == "line" && $0.classes.contains("down") })
    }

    @Test func captionsInOrderAndFailuresInRed() throws {
        let (_, svg) = try draw("echo first <one>\ntimeout s1\necho second & last\nexpect s1 leader\necho third")
        let captions = svg.elements.filter { $0.name == "text" && $0.groupClass == "caption" }.map(\.text)
        #expect(captions == ["first <one>", "second & last", "third"])
        let failures = svg.elements.filter { $0.name == "text" && $0.groupClass == "failure" }.map(\.text)
        #expect(failures.count == 1)
        #expect(failures.first?.contains("line 4: expect s1 leader") == true)
    }

    @Test func aLineThatDoesNotParseIsMarkedWhereTheScriptStopped() throws {
        let (recording, summary) = try ChartRun.record(script: "timeout s1\nbogus line\ntimeout s2", named: "bad.raftscript")
        #expect(summary.exitStatus == 2)
        let svg = try #require(ParsedSVG(SVGChart.render(recording)))
        let failures = svg.elements.filter { $0.name == "text" && $0.groupClass == "failure" }.map(\.text)
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("✗ line 2: error: unknown command `bogus`") == true)
        #expect(recording.steps.count == 2)
    }

    @Test func aCommandThatFailsHalfWayLeavesTheNetworkAsItIs() throws {
        // settle 2 delivers two of s1's RequestVotes and then fails: the chart
        // takes the network's word on what is left in flight.
        let (recording, summary) = try ChartRun.record(script: "timeout s1\nsettle 2")
        #expect(summary.exitStatus == 2)
        let cluster = try #require(recording.steps.last?.cluster)
        let svg = try #require(ParsedSVG(SVGChart.render(recording)))
        #expect(svg.count("g", class: "msg in-flight") == cluster.network.count)
        #expect(svg.count("g", class: "failure") == 1)
    }

    @Test func rolesAndTermsWhereTheyChange() throws {
        let (_, svg) = try draw("timeout s1\nsettle")
        let roles = svg.all("rect", class: "band").map { $0.attributes["data-role"] ?? "" }
        #expect(roles.contains("CANDIDATE"))
        #expect(roles.contains("LEADER"))
        #expect(svg.all("text", class: "term").map(\.text).contains("t1"))
    }

    @Test func aSmallerClusterHasFewerLanes() throws {
        let (_, svg) = try draw("cluster 3\ntimeout s1\nsettle")
        #expect(svg.all("g", class: "lane").map { $0.attributes["data-server"] ?? "" } == ["s1", "s2", "s3"])
    }

    /// The picture of one small script, byte for byte. After a deliberate change of
    /// the drawing, regenerate it with RAFTSH_UPDATE_GOLDEN=1 and look at it.
    @Test func goldenFile() throws {
        let golden = (repositoryRoot as NSString).appendingPathComponent("Tests/RaftChartTests/Golden/election.svg")
        let text = """
            cluster 3
            echo s1 times out and asks for votes
            timeout s1
            drop s1->s3
            deliver s1->s2
            deliver s2->s1
            expect s1 leader
            submit s1 x=1
            settle
            """
        let (recording, _) = try ChartRun.record(script: text, named: "election.raftscript")
        let svg = SVGChart.render(recording)
        if ProcessInfo.processInfo.environment["RAFTSH_UPDATE_GOLDEN"] == "1" {
            try svg.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        #expect(svg == (try String(contentsOfFile: golden, encoding: .utf8)))
    }
}
