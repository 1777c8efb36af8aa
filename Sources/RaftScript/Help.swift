/// The text of `help` and `help COMMAND`.
public enum Help {

    public static func text(for topic: String?, extra: [CommandInfo] = []) throws(CommandError) -> [String] {
        let all = CommandCatalog.commands + extra
        guard let topic else {
            var lines = ["Commands (help COMMAND for usage and an example):"]
            for group in CommandInfo.Group.allCases {
                let members = all.filter { $0.group == group }
                guard !members.isEmpty else { continue }
                lines.append("")
                lines.append("\(group.rawValue):")
                lines += Render.table(members.map { ["  " + $0.name, $0.summary] })
            }
            lines += [
                "",
                "A server is a name (s1) or `leader`: the live LEADER with the highest term.",
                "Keywords are case-insensitive, server names are not; # starts a comment.",
                "Every number has a range (`help numbers`).",
            ]
            return lines
        }
        if topic.lowercased() == "numbers" {
            return ["The ranges of numbers; a number outside its range is an error:"] + NumberRange.summary.map { "  " + $0 }
        }
        guard let info = all.first(where: { $0.name == topic.lowercased() }) else {
            var message = "no help for \(quoted(topic))"
            if let near = CommandCatalog.suggestion(for: topic, among: all.map(\.name)) { message += "; did you mean `\(near)`?" }
            throw CommandError(message)
        }
        var lines = info.usage.map { "usage: \($0)" }
        lines.append(info.summary)
        if !info.details.isEmpty { lines.append(info.details) }
        lines.append("example: \(info.example)")
        return lines
    }
}
