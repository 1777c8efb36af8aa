import Foundation
import RaftScript

/// The shell's chart commands: `chart FILE` and `show timeline [N]`, drawn from
/// the session replayed so far.
public enum ShellCharts {
    public static let chartInfo = CommandInfo(
        name: "chart", group: .session, usage: ["chart FILE.svg", "chart FILE.html"],
        summary: "draw the session so far: a picture (.svg) or a page to step through (.html)",
        example: "chart session.html",
        details: "Replays the session's commands (undone ones left out) and draws the run as a message sequence chart: one lane per server in its role's colour, each message an arrow from its send to its delivery, lost ones ending in a cross. The page adds ←/→ and a slider through the commands, with the `show` table and the `show log` grid at each. It overwrites a chart raftsh wrote, and no other file."
    )

    /// Listed under `show` in `help` (the command catalogue's `show timeline [N]`).
    static let timelineInfo = CommandInfo(
        name: "show timeline", group: .inspect, usage: ["show timeline [N]"],
        summary: "the session's last N rows as a text sequence chart", example: "show timeline 20", details: ""
    )

    /// The two commands; `width` says how wide the terminal is now.
    public static func additions(colour: Bool, width: @escaping () -> (columns: Int, lines: Int)) -> [ShellAddition] {
        [
            ShellAddition(info: chartInfo, words: ["chart"]) { arguments, session throws(CommandError) in
                guard arguments.count == 1 else { throw CommandError("usage: chart FILE.svg or chart FILE.html") }
                let path = arguments[0]
                _ = try ChartFile.format(of: path)
                let recording = record(session)
                try ChartFile.write(recording, to: path, title: "raftsh session")
                return ["wrote \(path) (\(recording.steps.count) command\(recording.steps.count == 1 ? "" : "s"), \(recording.messages.count) message\(recording.messages.count == 1 ? "" : "s"))"]
            },
            ShellAddition(info: timelineInfo, words: ["show", "timeline"]) { arguments, session throws(CommandError) in
                var count: Int?
                switch arguments.count {
                case 0: break
                case 1:
                    guard let n = Int(arguments[0]), n > 0 else { throw CommandError("show timeline takes a number of rows, not \(arguments[0])") }
                    count = n
                default: throw CommandError("usage: show timeline [N]")
                }
                let (columns, lines) = width()
                return TextChart.render(record(session), last: count ?? max(5, lines - 4), width: columns, colour: colour)
            },
        ]
    }

    private static func record(_ session: Session) -> Recording {
        let recorder = Recorder(starting: session.startingCluster)
        session.replay(into: recorder)
        return recorder.recording
    }
}
