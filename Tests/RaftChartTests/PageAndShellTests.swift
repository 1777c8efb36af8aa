import Foundation
import RaftScript
import Testing

@testable import RaftChart

@Suite("The page and the shell's chart commands", .timeLimit(.minutes(3)))
struct PageAndShellTests {
    /// The page's embedded data, read back as JSON.
    func data(of page: String) throws -> [String: Any] {
        let start = try #require(page.range(of: "<script type=\"application/json\" id=\"data\">"))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        let json = try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8))
        return try #require(json as? [String: Any])
    }

    @Test(arguments: ["rules/split-vote.raftscript", "paper/figure8.raftscript"])
    func thePageHasAStepPerCommandAndNothingFromOutside(_ name: String) throws {
        let path = script(name)
        let (recording, _) = try ChartRun.record(file: path)
        let page = HTMLPage.render(recording, title: name)
        let commands = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in
                let text = line.trimmingCharacters(in: .whitespaces)
                return !text.isEmpty && !text.hasPrefix("#")
            }
        let steps = try #require(try data(of: page)["steps"] as? [[String: Any]])
        #expect(steps.count == commands.count)
        #expect(steps.count == recording.steps.count)
        #expect(steps.map { $0["line"] as? String } == commands.map { $0.trimmingCharacters(in: .whitespaces) })
        // One file: no address to fetch anything from.
        for outside in ["http://", "https://", "src=", "@import", "url(http", "<link"] {
            #expect(!page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains(outside), "\(outside)")
        }
        let pieces = try #require(try data(of: page)["pieces"] as? [[String: Any]])
        #expect(pieces.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == recording.rows.count)
        for index in pieces.indices {
            let start = try #require(page.range(of: "<script type=\"image/svg+xml\" id=\"piece\(index)\">"))
            let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
            #expect(ParsedSVG(String(page[start.upperBound..<end.lowerBound])) != nil)
        }
    }

    @Test func theShellChartsTheSessionWithoutWhatWasUndone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("raftsh-chart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let svg = (folder as NSString).appendingPathComponent("run.svg")
        var printed: [String] = []
        var session = Session(interpreter: try Interpreter(), mode: .script(name: "t")) { output in
            if case .line(let text) = output { printed.append(text) }
            if case .diagnostic(let d) = output { printed.append(d.description) }
        }
        session.additions = ShellCharts.additions(colour: false) { (60, 20) }
        var lines = ScriptedLines(["timeout s1", "deliver s1->*", "crash s3", "undo", "deliver *->s1", "chart \(svg)", "show timeline 2"])
        #expect(session.run(&lines) == 0)
        let parsed = try #require(ParsedSVG(try String(contentsOfFile: svg, encoding: .utf8)))
        #expect(parsed.count("g", class: "msg delivered") == 8)
        #expect(parsed.count("g", class: "crash") == 0)
        #expect(printed.contains { $0.hasPrefix("wrote \(svg)") })
        let timeline = Array(printed.suffix(4))
        #expect(timeline[1].hasPrefix("…"))
        #expect(timeline.allSatisfy { $0.count <= 60 })
    }

    @Test func aChartReplacesAChartAndNothingElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("raftsh-chart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (recording, _) = try ChartRun.record(script: "timeout s1")
        let page = (folder as NSString).appendingPathComponent("notes.html")
        try "my own notes".write(toFile: page, atomically: true, encoding: .utf8)
        #expect(throws: CommandError.self) { try ChartFile.write(recording, to: page, title: "t") }
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "my own notes")
        let chart = (folder as NSString).appendingPathComponent("chart.html")
        try ChartFile.write(recording, to: chart, title: "t")
        try ChartFile.write(recording, to: chart, title: "t")
        #expect(try String(contentsOfFile: chart, encoding: .utf8).contains("raftsh chart"))
        #expect(throws: CommandError.self) { try ChartFile.write(recording, to: (folder as NSString).appendingPathComponent("x.png"), title: "t") }
    }
}
