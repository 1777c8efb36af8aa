import Foundation
import Testing

@testable import RaftChart

@Suite("The text chart", .timeLimit(.minutes(3)))
struct TextChartTests {
    @Test func fitsTheWidthAndShowsTheLastRows() throws {
        let (recording, _) = try ChartRun.record(file: script("rules/split-vote.raftscript"))
        for width in [40, 80, 132] {
            let lines = TextChart.render(recording, last: nil, width: width, colour: false)
            #expect(lines.allSatisfy { $0.count <= width })
            #expect(lines.count == recording.rows.count + 1)
        }
        let last = TextChart.render(recording, last: 5, width: 100, colour: false)
        #expect(last.count == 7)  // names, "… earlier rows", five rows
        #expect(last[1].hasPrefix("… \(recording.rows.count - 5) earlier rows"))
    }

    @Test func arrowsCarryTheirLabelsAndColourStaysOutOfTheWidth() throws {
        let (recording, _) = try ChartRun.record(script: "timeout s1\ndeliver s1->s2\ndeliver s2->s1")
        let plain = TextChart.render(recording, last: nil, width: 100, colour: false)
        #expect(plain.contains { $0.contains("RV t1") && $0.contains("▶") })
        #expect(plain.contains { $0.contains("✓ t1") && $0.contains("◀") })
        let coloured = TextChart.render(recording, last: nil, width: 100, colour: true)
        #expect(coloured.contains { $0.contains("\u{1B}[33m") })  // a CANDIDATE's lane in the shell's yellow
        let stripped = coloured.map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
        #expect(stripped == plain)
    }
}
