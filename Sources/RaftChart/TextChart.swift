import RaftCluster
import RaftCore

/// The run's last rows as a text sequence chart for the terminal (`show
/// timeline`): one column per server, each message a horizontal arrow at the row
/// it was delivered, its kind and fields on it; the lanes in the shell's role
/// colours when colour is on.
public enum TextChart {
    /// The last `count` rows (all that fit when nil), `width` columns wide at most.
    public static func render(_ recording: Recording, last count: Int?, width: Int, colour: Bool) -> [String] {
        guard !recording.lanes.isEmpty, !recording.rows.isEmpty else { return ["nothing has happened yet"] }
        let grid = Grid(lanes: recording.lanes.count, width: max(width, 20))
        let shown = max(0, recording.rows.count - max(1, count ?? recording.rows.count))..<recording.rows.count
        var states = Array(repeating: LaneState(life: .absent, term: 0), count: recording.lanes.count)
        var changes = recording.changes[...]
        var lines: [String] = []
        var header = Line(width: grid.width)
        for (lane, name) in recording.lanes.enumerated() {
            header.write(String(name.prefix(grid.column - 1)), centredAt: grid.centre(lane), style: "1")
        }
        lines.append(header.render(colour: colour))
        if shown.lowerBound > 0 { lines.append("… \(shown.lowerBound) earlier row\(shown.lowerBound == 1 ? "" : "s") (`chart FILE` draws the whole run)") }
        var drops: [Int: [ChartMessage]] = [:]
        for message in recording.messages {
            if case .dropped(let row, _) = message.end, row != message.sentRow, shown.contains(row) { drops[row, default: []].append(message) }
        }
        var lastStep = -1
        for row in 0..<recording.rows.count {
            var changedHere: Set<Int> = []
            while let change = changes.first, change.row <= row {
                states[change.lane] = change.state
                changedHere.insert(change.lane)
                changes.removeFirst()
            }
            guard shown.contains(row) else { continue }
            let info = recording.rows[row]
            var line = Line(width: grid.width)
            if info.step != lastStep {
                lastStep = info.step
                let location = recording.steps[info.step].location.map { "\($0.line)" } ?? "#\(info.step + 1)"
                line.write(String(location.prefix(Grid.margin - 1)), at: 0, style: "2")
            }
            for lane in states.indices {
                let state = states[lane]
                let style = colour ? Palette.terminal(state.life) : nil
                switch state.life {
                case .up(let role) where changedHere.contains(lane):
                    line.write(String(role.rawValue.prefix(1)), at: grid.centre(lane), style: style.map { "1;" + $0 })
                case .up:
                    line.write("│", at: grid.centre(lane), style: style)
                case .down:
                    line.write(changedHere.contains(lane) ? "✕" : "┊", at: grid.centre(lane), style: style)
                case .absent:
                    break
                }
            }
            var description = describe(info, recording: recording, states: states, changed: changedHere)
            switch info.kind {
            case .delivery(let index):
                let message = recording.messages[index]
                let text = Palette.label(message.message)
                line.arrow(from: grid.centre(message.from), to: grid.centre(message.to), label: text, style: colour ? "2" : nil)
            case .local, .command:
                if let lane = info.lane, !changedHere.contains(lane) { line.write("●", at: grid.centre(lane), style: nil) }
                for message in drops[row] ?? [] {
                    let (a, b) = (grid.centre(message.from), grid.centre(message.to))
                    line.write("✕", at: a + (b - a) * 3 / 5, style: colour ? "31" : nil)
                }
            case .caption(let text):
                line = Line(width: grid.width)
                line.write("“\(text)”", at: Grid.margin, style: colour ? "3" : nil)
                description = ""
            case .failure(let text):
                line = Line(width: grid.width)
                line.write("✗ \(recording.steps[info.step].line.trimmed): \(text)", at: 0, style: colour ? "1;31" : nil)
                description = ""
            }
            if !description.isEmpty { line.write(description, at: grid.descriptionStart, style: nil) }
            lines.append(line.render(colour: colour))
        }
        return lines
    }

    /// The words at the right of a row, when there is room: the command, or what changed.
    private static func describe(_ row: Row, recording: Recording, states: [LaneState], changed: Set<Int>) -> String {
        var words: [String] = []
        switch row.kind {
        case .command:
            words.append(recording.steps[row.step].line.trimmed)
        case .delivery(let index):
            let message = recording.messages[index]
            words.append("\(recording.lanes[message.from])→\(recording.lanes[message.to])")
        case .local:
            if let lane = row.lane { words.append("\(recording.lanes[lane]): " + recording.steps[row.step].line.trimmed) }
        case .caption, .failure:
            break
        }
        for lane in changed.sorted() {
            switch states[lane].life {
            case .up(let role): words.append("\(recording.lanes[lane]) \(role.rawValue) t\(states[lane].term)")
            case .down: words.append("\(recording.lanes[lane]) down")
            case .absent: break
            }
        }
        return words.joined(separator: "; ")
    }

    /// Where each lane's column is on a line.
    struct Grid {
        static let margin = 5
        let width: Int
        let column: Int
        let lanes: Int

        init(lanes: Int, width: Int) {
            self.width = width
            self.lanes = lanes
            // Columns wide enough for a label when there is room, leaving the rest for words.
            let room = width - Self.margin
            column = max(3, min(18, room * 3 / 4 / max(lanes, 1)))
        }

        func centre(_ lane: Int) -> Int { Self.margin + column * lane + column / 2 }
        var descriptionStart: Int { Self.margin + column * lanes + 1 }
    }

    /// One line of cells, each a character and its colour.
    struct Line {
        var cells: [(Character, String?)]

        init(width: Int) {
            cells = Array(repeating: (" ", nil), count: width)
        }

        mutating func write(_ text: String, at start: Int, style: String?) {
            for (offset, character) in text.enumerated() where start + offset >= 0 && start + offset < cells.count {
                cells[start + offset] = (character, style)
            }
        }

        mutating func write(_ text: String, centredAt centre: Int, style: String?) {
            write(text, at: centre - text.count / 2, style: style)
        }

        /// A horizontal arrow between two lanes with its label on it, if it fits.
        mutating func arrow(from a: Int, to b: Int, label: String, style: String?) {
            guard a != b else { return }
            let (low, high) = (min(a, b), max(a, b))
            for x in (low + 1)..<high { write("─", at: x, style: style) }
            write(b > a ? "▶" : "◀", at: b > a ? high - 1 : low + 1, style: style)
            write("●", at: a, style: style)
            let room = high - low - 3
            if room >= label.count { write(label, centredAt: (low + high) / 2, style: nil) }
        }

        func render(colour: Bool) -> String {
            var text = ""
            var current: String?
            for (character, style) in cells {
                let wanted = colour ? style : nil
                if wanted != current {
                    if current != nil { text += "\u{1B}[0m" }
                    if let wanted { text += "\u{1B}[\(wanted)m" }
                    current = wanted
                }
                text.append(character)
            }
            if current != nil { text += "\u{1B}[0m" }
            return text.trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
