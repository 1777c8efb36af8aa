import Foundation
import Testing

@testable import RaftChart

@Suite("Long runs", .timeLimit(.minutes(3)))
struct LongRunTests {
    /// A leader and 110 client requests ticking along: over 10 000 trace events.
    static let script = (["set seed 7", "tick until leader"] + (0..<110).flatMap { ["submit leader x=\($0)", "tick 10"] }).joined(separator: "\n")

    /// (Its speed is measured on the release build, in the README: a debug build
    /// on a shared machine says nothing about it.)
    @Test func aLongRunIsDrawnWholeAndThePageInPieces() throws {
        let (recording, summary) = try ChartRun.record(script: Self.script)
        let svg = SVGChart.render(recording)
        let page = HTMLPage.render(recording, title: "long")
        #expect(summary.exitStatus == 0)
        #expect(recording.eventCount > 10_000)
        let parsed = try #require(ParsedSVG(svg))
        #expect(parsed.count("g", class: "msg delivered") == recording.steps.last?.cluster.deliveries)
        let pieces = (recording.rows.count + HTMLPage.pieceRows - 1) / HTMLPage.pieceRows
        #expect(pieces > 3)
        #expect(page.components(separatedBy: "<script type=\"image/svg+xml\"").count - 1 == pieces)
        // The logs are written as edits: the page grows with the run, not with the run times the log.
        #expect(page.utf8.count < svg.utf8.count * 2)
    }
}
