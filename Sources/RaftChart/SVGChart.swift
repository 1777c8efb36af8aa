import Foundation
import RaftCluster
import RaftCore
import RaftScript

/// The run as a message sequence chart (a Lamport diagram) in SVG: one lane per
/// server, time running down, every message an arrow from its send to its end.
///
/// Elements carry classes (`lane`, `msg delivered`, `msg dropped`, `msg in-flight`,
/// `cross`, `crash`, `restart`, `caption`, `failure`) and each row its step
/// (`data-step`), so tests count them and the page finds a step's rows.
public enum SVGChart {
    /// The whole run as one picture.
    public static func render(_ recording: Recording) -> String {
        ChartFile.mark + "\n" + render(Layout(recording: recording, rows: 0..<recording.rows.count), standalone: true)
    }

    /// Rows `rows` of a run without the lanes' names, for the page, which shows a
    /// long run in pieces and the names in a header of their own.
    static func piece(_ recording: Recording, rows: Range<Int>) -> String {
        var layout = Layout(recording: recording, rows: rows)
        layout.header = 0
        if rows.upperBound < recording.rows.count { layout.footer = 0 }
        return render(layout, standalone: false)
    }

    /// The lanes' names alone, the page's header.
    static func names(_ recording: Recording) -> String {
        var out = SVGWriter()
        let width = Layout.width(lanes: recording.lanes.count)
        out.open("svg", ["width": width, "height": 30, "font-family": "sans-serif", "class": "names"])
        for (lane, name) in recording.lanes.enumerated() {
            out.text(name, ["x": Layout.margin + Layout.laneWidth * (Double(lane) + 0.5), "y": 21, "text-anchor": "middle", "font-size": 14, "font-weight": "bold"])
        }
        out.close("svg")
        return out.text
    }

    private static func render(_ layout: Layout, standalone: Bool) -> String {
        var out = SVGWriter()
        let (width, height) = (layout.width, layout.height)
        out.open(
            "svg",
            standalone ? ["xmlns": "http://www.w3.org/2000/svg"] : [:],
            ["width": width, "height": height, "viewBox": "0 0 \(format(width)) \(format(height))",
             "font-family": "sans-serif", "font-size": 11, "class": "chart"])
        out.raw("<style>.label{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}</style>")
        out.raw("<defs><marker id=\"head\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0L8,4L0,8z\" fill=\"context-stroke\"/></marker></defs>")
        out.element("rect", ["width": width, "height": height, "fill": "#ffffff"])
        partitions(layout, &out)
        stepMarks(layout, &out)
        lanes(layout, &out)
        messages(layout, &out)
        rowMarks(layout, &out)
        logs(layout, &out)
        out.close("svg")
        return out.text
    }

    // MARK: Parts

    /// Servers in one partition group share a tint while the network is split.
    private static func partitions(_ layout: Layout, _ out: inout SVGWriter) {
        var start = layout.rows.lowerBound
        var current: [Int?]? = layout.rows.isEmpty ? nil : layout.groups(at: start)
        for row in layout.rows.dropFirst().map({ $0 }) + [layout.rows.upperBound] {
            let groups = row < layout.rows.upperBound ? layout.groups(at: row) : nil
            if row < layout.rows.upperBound, groups == current { continue }
            if let current {
                out.open("g", ["class": "partition"])
                for (lane, group) in current.enumerated() {
                    guard let group else { continue }
                    out.element("rect", [
                        "x": layout.x(lane) - Layout.laneWidth / 2 + 3, "y": layout.top(start),
                        "width": Layout.laneWidth - 6, "height": layout.top(row) - layout.top(start),
                        "fill": Palette.groupTints[group % Palette.groupTints.count],
                    ])
                }
                out.close("g")
            }
            (start, current) = (row, groups)
        }
    }

    /// The script line and the tick at the left, where they change.
    private static func stepMarks(_ layout: Layout, _ out: inout SVGWriter) {
        let recording = layout.recording
        var lastStep = -1, lastTick = -1
        for row in layout.rows {
            let info = recording.rows[row]
            if info.step != lastStep {
                lastStep = info.step
                out.element("line", ["x1": 0, "x2": layout.width, "y1": layout.top(row), "y2": layout.top(row), "stroke": "#eceff1"])
                let step = recording.steps[info.step]
                let where_ = step.location.map { "line \($0.line)" } ?? "#\(info.step + 1)"
                out.text(where_, ["x": 4, "y": layout.y(row) + 4, "fill": "#90a4ae", "font-size": 10], title: step.line)
            }
            if info.tick != lastTick {
                lastTick = info.tick
                out.text("tick \(info.tick)", ["x": 44, "y": layout.y(row) + 4, "fill": "#90a4ae", "font-size": 10])
            }
        }
    }

    /// One lane per server: its name, a thin line, and its role band with the term where it changes.
    private static func lanes(_ layout: Layout, _ out: inout SVGWriter) {
        let bands = layout.bands()
        for (lane, name) in layout.recording.lanes.enumerated() {
            let x = layout.x(lane)
            out.open("g", ["class": "lane", "data-server": name])
            if layout.header > 0 {
                out.text(name, ["x": x, "y": 26, "text-anchor": "middle", "font-size": 14, "font-weight": "bold"])
            }
            out.element("line", ["x1": x, "x2": x, "y1": max(0, layout.header - 8), "y2": layout.bottom, "stroke": "#b0bec5"])
            for band in bands[lane] {
                let shown = band.rows.clamped(to: layout.rows)
                guard !shown.isEmpty, let colour = Palette.band(band.state.life) else { continue }
                let (y0, y1) = (layout.top(shown.lowerBound), layout.top(shown.upperBound))
                switch band.state.life {
                case .up(let role):
                    out.element("rect", ["x": x - 5, "y": y0, "width": 10, "height": y1 - y0, "fill": colour, "class": "band", "data-role": role.rawValue])
                    if shown.lowerBound == band.rows.lowerBound {
                        out.text("t\(band.state.term)", ["x": x - 9, "y": y0 + 11, "text-anchor": "end", "fill": Palette.term, "font-weight": "bold", "class": "term label"])
                    }
                case .down:
                    out.element("line", ["x1": x, "x2": x, "y1": y0, "y2": y1, "stroke": colour, "stroke-width": 2, "stroke-dasharray": "3 4", "class": "down"])
                case .absent:
                    break
                }
            }
            out.close("g")
        }
    }

    private static func messages(_ layout: Layout, _ out: inout SVGWriter) {
        let recording = layout.recording
        for (index, message) in recording.messages.enumerated() {
            let last: Int = switch message.end {
            case .delivered(let row), .dropped(let row, _), .abandoned(let row): row
            case .inFlight: recording.rows.count
            }
            // Drawn when any of it crosses the window.
            guard message.sentRow < layout.rows.upperBound, last >= layout.rows.lowerBound else { continue }
            let (x0, y0) = (layout.x(message.from), layout.y(message.sentRow))
            let x1 = layout.x(message.to)
            let colour = Palette.colour(message.message)
            let label = Palette.label(message.message) + (message.isCopy ? " (copy)" : "")
            let name = "\(recording.lanes[message.from])->\(recording.lanes[message.to]) \(message.message.kindName)"
            switch message.end {
            case .delivered(let row):
                let y1 = layout.y(row)
                out.open("g", ["class": "msg delivered", "data-message": index, "data-step": recording.rows[row].step])
                out.raw("<title>\(xmlEscaped(name)), delivered</title>")
                out.element("line", ["x1": x0, "y1": y0, "x2": x1, "y2": y1, "stroke": colour, "stroke-width": 1.3, "marker-end": "url(#head)"])
                labelText(label, at: (x0 + (x1 - x0) * 0.72, y0 + (y1 - y0) * 0.72), colour: colour, &out)
                out.close("g")
            case let .dropped(row, reason):
                let swallowed = row == message.sentRow
                let t = swallowed ? 0.3 : 0.6
                let end = (x0 + (x1 - x0) * t, swallowed ? y0 + Layout.rowHeight * 0.45 : layout.y(row))
                out.open("g", ["class": "msg dropped", "data-message": index, "data-step": recording.rows[row].step])
                out.raw("<title>\(xmlEscaped(name)), \(xmlEscaped(Palette.reason(reason)))</title>")
                out.element("line", ["x1": x0, "y1": y0, "x2": end.0, "y2": end.1, "stroke": colour, "stroke-width": 1.2, "stroke-dasharray": "4 2"])
                cross(at: end, &out)
                if !swallowed { labelText(label, at: (x0 + (end.0 - x0) * 0.6, y0 + (end.1 - y0) * 0.6), colour: colour, &out) }
                out.close("g")
            case .inFlight, .abandoned:
                let (endY, what, kind) = if case .abandoned(let row) = message.end {
                    (max(layout.y(row), y0 + 12), "in flight when the cluster was replaced", "msg abandoned")
                } else {
                    (max(layout.top(recording.rows.count) + Layout.footerHeight - 8, y0 + 12), "still in flight", "msg in-flight")
                }
                let end = (x0 + (x1 - x0) * 0.5, endY)
                out.open("g", ["class": kind, "data-message": index])
                out.raw("<title>\(xmlEscaped(name)), \(what)</title>")
                out.element("line", ["x1": x0, "y1": y0, "x2": end.0, "y2": end.1, "stroke": colour, "stroke-width": 1.2, "stroke-dasharray": "2 3"])
                labelText(label, at: (x0 + (end.0 - x0) * 0.5, y0 + (end.1 - y0) * 0.5), colour: colour, &out)
                out.close("g")
            }
        }
    }

    private static func labelText(_ text: String, at point: (Double, Double), colour: String, _ out: inout SVGWriter) {
        out.text(text, ["x": point.0, "y": point.1 - 2, "text-anchor": "middle", "fill": colour, "font-size": 10, "class": "label"])
    }

    private static func cross(at point: (Double, Double), _ out: inout SVGWriter) {
        let (x, y) = point
        out.element("path", ["d": "M\(format(x - 5)),\(format(y - 5))L\(format(x + 5)),\(format(y + 5))M\(format(x - 5)),\(format(y + 5))L\(format(x + 5)),\(format(y - 5))", "stroke": Palette.failure, "stroke-width": 2.2, "class": "cross"])
    }

    /// Dots where a server acted, crashes and restarts, captions and failures.
    private static func rowMarks(_ layout: Layout, _ out: inout SVGWriter) {
        let recording = layout.recording
        for row in layout.rows {
            let info = recording.rows[row]
            let y = layout.y(row)
            switch info.kind {
            case .delivery, .local:
                if let lane = info.lane {
                    out.element("circle", ["cx": layout.x(lane), "cy": y, "r": 3, "fill": "#263238", "data-step": info.step])
                }
            case .command:
                break
            case .caption(let text):
                out.open("g", ["class": "caption", "data-step": info.step])
                out.element("rect", ["x": Layout.margin, "y": layout.top(row) + 2, "width": layout.width - Layout.margin - 4, "height": Layout.rowHeight - 4, "fill": "#fffde7", "stroke": "#fbc02d", "rx": 3])
                out.text(text, ["x": Layout.margin + 8, "y": y + 4, "fill": Palette.caption, "font-size": 12, "font-style": "italic"])
                out.close("g")
            case .failure(let text):
                let step = recording.steps[info.step]
                let place = step.location.map { "line \($0.line): " } ?? ""
                out.open("g", ["class": "failure", "data-step": info.step])
                out.element("rect", ["x": Layout.margin, "y": layout.top(row) + 2, "width": layout.width - Layout.margin - 4, "height": Layout.rowHeight - 4, "fill": "#ffebee", "stroke": Palette.failure, "rx": 3])
                let line = step.line.trimmed.isEmpty ? "" : step.line.trimmed + ": "
                out.text("✗ \(place)\(line)\(text)", ["x": Layout.margin + 8, "y": y + 4, "fill": Palette.failure, "font-size": 12, "font-weight": "bold"])
                out.close("g")
            }
        }
        var life = Array(repeating: LaneState.Life.absent, count: recording.lanes.count)
        for change in recording.changes {
            defer { life[change.lane] = change.state.life }
            guard layout.rows.contains(change.row) else { continue }
            let (x, y) = (layout.x(change.lane), layout.y(change.row))
            switch (life[change.lane], change.state.life) {
            case (.up, .down):
                out.open("g", ["class": "crash", "data-step": recording.rows[change.row].step])
                cross(at: (x, y), &out)
                out.text("crash", ["x": x + 9, "y": y + 4, "fill": Palette.failure, "font-weight": "bold", "class": "label"])
                out.close("g")
            case (.down, .up):
                out.text("restart", ["x": x + 9, "y": y + 4, "fill": Palette.colour(.leader), "font-weight": "bold", "class": "restart label", "data-step": recording.rows[change.row].step])
            default:
                break
            }
        }
    }

    /// Each server's log terms and commit index where they change, as the paper's figures show them.
    private static func logs(_ layout: Layout, _ out: inout SVGWriter) {
        let recording = layout.recording
        var previous: Cluster?
        for step in recording.steps {
            defer { previous = step.cluster }
            guard let row = step.rows.last, layout.rows.contains(row) else { continue }
            let cluster = step.cluster
            for (index, server) in cluster.servers.enumerated() {
                if let previous, previous.names == cluster.names, index < previous.servers.count,
                   previous.servers[index].log == server.log, previous.servers[index].commitIndex == server.commitIndex { continue }
                if previous == nil, server.log.lastIndex == 0, server.commitIndex == 0 { continue }
                guard let lane = recording.lanes.firstIndex(of: cluster.names[index]) else { continue }
                out.text(Palette.log(server), ["x": layout.x(lane) + 8, "y": layout.y(row) + 13, "fill": "#455a64", "font-family": "monospace", "font-size": 10, "class": "log label"])
            }
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
