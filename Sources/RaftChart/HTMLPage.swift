import Foundation
import RaftCluster
import RaftCore
import RaftScript

/// The run as one self-contained page: the chart, and beside it the `show`
/// table and the `show log` grid at the selected step; ←/→ and a slider step
/// through the commands and the chart highlights the step's rows.
///
/// No network, no external script or font: it reads the same from disk. A long
/// run is drawn in pieces of `pieceRows` rows and the page keeps only the
/// pieces around the selected step in the document, so a 10 000-event run
/// stays as quick to step through as a short one.
public enum HTMLPage {
    static let pieceRows = 300

    public static func render(_ recording: Recording, title: String) -> String {
        var pieces: [String] = []
        // Each piece's SVG sits as it is in a script element of its own, which the
        // browser keeps as text until the page puts it in the document.
        var pictures = ""
        var first = 0
        repeat {
            let rows = first..<min(first + pieceRows, recording.rows.count)
            pieces.append("{\"first\":\(rows.lowerBound),\"count\":\(rows.count)}")
            pictures += "<script type=\"image/svg+xml\" id=\"piece\(pieces.count - 1)\">" + SVGChart.piece(recording, rows: rows) + "</script>\n"
            first += pieceRows
        } while first < recording.rows.count
        let data = """
            {"title":\(json(title)),"rowHeight":\(format(Layout.rowHeight)),"footer":\(format(Layout.footerHeight)),\
            "rows":\(recording.rows.count),"pieces":[\(pieces.joined(separator: ","))],\
            "steps":[\(steps(recording).joined(separator: ",\n"))]}
            """
        return head + "<title>raftsh chart: \(xmlEscaped(title))</title>\n" + style
            + "<style>\(Palette.roleStyles)</style>\n</head><body>\n"
            + controls(title: title, steps: recording.steps.count)
            + "<div id=\"main\"><div id=\"chart\"><div id=\"names\">" + SVGChart.names(recording) + "</div>"
            + "<div id=\"pieces\"></div><div id=\"highlight\"></div></div>" + panel + "</div>\n"
            + "<script type=\"application/json\" id=\"data\">" + data + "</script>\n"
            + pictures
            + "<script>" + script + "</script>\n</body></html>\n"
    }

    /// Each step's command and the cluster after it, in the shape the page's script reads.
    private static func steps(_ recording: Recording) -> [String] {
        var previous: (names: [String], logs: [Log]) = ([], [])
        return recording.steps.map { step in
            let cluster = step.cluster
            var inbox = Array(repeating: 0, count: cluster.size)
            cluster.network.forEachInFlight { inbox[$0.to.index] += 1 }
            let servers = cluster.servers.enumerated().map { index, server in
                let up = cluster.isUp[index]
                let fields = [
                    json(cluster.names[index]), json(up ? "up" : "down"), json(up ? server.role.kind.rawValue : "-"),
                    "\(server.currentTerm)", json(server.votedFor.map(cluster.name) ?? "none"), "\(server.commitIndex)",
                    json(cluster.groups.map { "\($0[index] + 1)" } ?? "-"), "\(inbox[index])",
                ]
                return "[" + fields.joined(separator: ",") + "]"
            }
            // A log is written only where it changed, as what it keeps of its old
            // entries and the terms after them: a long run's page stays small.
            let names = cluster.names
            var changed = false
            let edits = cluster.servers.enumerated().map { index, server in
                let old = previous.names == names ? previous.logs[index] : nil
                if let old, old == server.log { return "null" }
                changed = true
                let kept = old.map { zip($0.entries, server.log.entries).prefix { $0 == $1 }.count } ?? 0
                return "[" + ([kept] + server.log.entries.dropFirst(kept).map(\.term)).map(String.init).joined(separator: ",") + "]"
            }
            let written = changed || previous.names != names ? "[" + edits.joined(separator: ",") + "]" : "null"
            previous = (names, cluster.servers.map(\.log))
            let note = step.failure.map { "expect failed: " + $0 } ?? step.error.map { "error: " + $0 }
            let output = step.output.count <= 40 ? step.output : Array(step.output.prefix(40)) + ["…"]
            return """
                {"line":\(json(step.line.trimmed)),"at":\(step.location.map { "\($0.line)" } ?? "null"),\
                "rows":[\(step.rows.lowerBound),\(step.rows.upperBound)],"tick":\(cluster.now),\
                "inFlight":\(cluster.network.count),"partitioned":\(cluster.groups != nil),\
                "note":\(note.map(json) ?? "null"),"output":[\(output.map(json).joined(separator: ","))],\
                "servers":[\(servers.joined(separator: ","))],"logs":\(written)}
                """
        }
    }

    /// A JSON string that is also safe inside a <script> element.
    static func json(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "/": result += "\\/"
            case "\u{2028}", "\u{2029}": result += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
