/// The text of `help` and `help COMMAND`.
public enum Help {
    /// The language reference, kept in step with the catalogue by a test.
    public static let referencePath = "docs/language.md"

    /// With a `width` (a terminal's), long lines wrap there on word boundaries:
    /// a summary under its own column, a usage under its form.
    public static func text(for topic: String?, extra: [CommandInfo] = [], width: Int? = nil) throws(CommandError) -> [String] {
        let all = CommandCatalog.commands + extra
        guard let topic else {
            var lines = ["Commands (help COMMAND for usage and an example):"]
            let nameColumn = (all.map(\.name.count).max() ?? 0) + 4
            for group in CommandInfo.Group.allCases {
                let members = all.filter { $0.group == group }
                guard !members.isEmpty else { continue }
                lines.append("")
                lines.append("\(group.rawValue):")
                let names = members.map { "  " + $0.name + String(repeating: " ", count: nameColumn - 2 - $0.name.count) }
                for (name, member) in zip(names, members) {
                    lines += Render.wrap(name + member.summary, width: width, indent: nameColumn)
                }
            }
            lines += [
                "",
                "A server is a name (s1) or `leader`: the live LEADER with the highest term.",
                "Keywords are case-insensitive, server names are not; # starts a comment.",
                "The full reference, with every choice raftsh makes: \(referencePath) in raftsh's repository.",
                "Every number has a range (`help numbers`).",
            ]
            return lines.flatMap { Render.wrap($0, width: width) }
        }
        if topic.lowercased() == "numbers" {
            return ["The ranges of numbers; a number outside its range is an error:"] + NumberRange.summary.map { "  " + $0 }
        }
        guard let info = all.first(where: { $0.name == topic.lowercased() }) else {
            var message = "no help for \(quoted(topic))"
            if let near = CommandCatalog.suggestion(for: topic, among: all.map(\.name)) { message += "; did you mean `\(near)`?" }
            throw CommandError(message)
        }
        var lines = info.usage.flatMap { Render.wrap("usage: \($0)", width: width, indent: 7) }
        lines += Render.wrap(info.summary, width: width)
        if !info.details.isEmpty { lines += Render.wrap(info.details, width: width) }
        lines += Render.wrap("example: \(info.example)", width: width, indent: 9)
        return lines
    }
}
