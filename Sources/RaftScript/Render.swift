import RaftCluster
import RaftCore

/// Small formatting pieces shared by `show`, `expect` and narration.
enum Render {
    /// A log as the paper writes it, its entries' terms oldest first; `empty` for none.
    static func log(_ log: Log, values: Bool = false, limit: Int = .max) -> String {
        guard log.lastIndex > 0 else { return "empty" }
        let shown = log.entries.suffix(limit)
        let words = shown.map { values && !$0.value.isEmpty ? "\($0.term):\($0.value)" : "\($0.term)" }
        let prefix = shown.count < log.lastIndex ? "… " : ""
        return prefix + words.joined(separator: " ")
    }

    static func expected(_ entries: [ExpectedEntry]) -> String {
        guard !entries.isEmpty else { return "empty" }
        return entries.map { entry in entry.value.map { "\(entry.term):\($0)" } ?? "\(entry.term)" }.joined(separator: " ")
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ rows: [[String]], gap: Int = 2) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + gap) }
            }
            return line.trimmingTrailingSpaces()
        }
    }

    /// Fields a user's program added to a message, after its own: ` +{hint: 3}`.
    static func ownFields(_ fields: OwnFields?) -> String {
        guard let fields, !fields.isEmpty else { return "" }
        return " +{" + fields.fields.map { "\($0.name): \($0.json)" }.joined(separator: ", ") + "}"
    }

    static func message(_ message: Message, name: (ServerID) -> String) -> String {
        switch message {
        case .requestVote(let m):
            "RequestVote(term \(m.term), candidate \(name(m.candidate)), lastLogIndex \(m.lastLogIndex), lastLogTerm \(m.lastLogTerm)"
                + (m.transfer ? ", transfer true)" : ")")
        case .requestVoteResponse(let m):
            "RequestVoteResponse(term \(m.term), granted \(m.granted))"
        case .appendEntries(let m):
            "AppendEntries(term \(m.term), leader \(name(m.leader)), prevLogIndex \(m.prevLogIndex), prevLogTerm \(m.prevLogTerm), entries [\(m.entries.map { "\($0.term)" }.joined(separator: " "))], leaderCommit \(m.leaderCommit))"
        case .appendEntriesResponse(let m):
            "AppendEntriesResponse(term \(m.term), success \(m.success), matchIndex \(m.matchIndex))"
        case .preVote(let m):
            "PreVote(term \(m.term), candidate \(name(m.candidate)), lastLogIndex \(m.lastLogIndex), lastLogTerm \(m.lastLogTerm))"
        case .preVoteResponse(let m):
            "PreVoteResponse(term \(m.term), granted \(m.granted))"
        case .timeoutNow(let m):
            "TimeoutNow(term \(m.term))"
        }
    }
}

extension Render {
    /// `line` broken at spaces into lines of at most `width` columns (a word
    /// longer than that stays whole), the lines after the first indented by
    /// `indent` spaces. With no width, the line as it is.
    static func wrap(_ line: String, width: Int?, indent: Int = 0) -> [String] {
        guard let width, line.count > width else { return [line] }
        let indent = indent < width / 2 ? indent : 0
        var lines: [String] = []
        var current = ""
        // Leading spaces belong to the first word, so a table's first column keeps its place.
        let lead = line.prefix(while: { $0 == " " })
        for (index, word) in line.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            let piece = index == 0 ? String(lead) + word : String(word)
            if current.isEmpty {
                current = piece
            } else if current.count + 1 + piece.count <= width || current.allSatisfy({ $0 == " " }) {
                current += " " + piece
            } else {
                lines.append(current.trimmingTrailingSpaces())
                current = String(repeating: " ", count: indent) + piece
            }
        }
        lines.append(current.trimmingTrailingSpaces())
        return lines
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
