/// What may name a server in `cluster NAME…`: an ASCII letter, then ASCII
/// letters, digits, `_`, `-` and `.`, and no word that RaftScript gives a
/// meaning to, since a name is read where those words are (`cluster no x y`
/// would make `expect no leader` mean something else).
enum ServerName {
    /// Why `name` cannot name a server, or nil when it can.
    static func problem(with name: String) -> String? {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, first.isASCII, first.properties.isAlphabetic,
            scalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) })
        else {
            return "a name is an ASCII letter (a-z, A-Z), then ASCII letters, digits, `_`, `-` or `.`"
        }
        let word = name.lowercased()
        if let use = languageWords[word] { return "`\(word)` is a word of RaftScript (\(use))" }
        if CommandCatalog.names.contains(word) || Parser.shellCommands.contains(word) { return "`\(word)` is a command" }
        return nil
    }

    /// Words with a meaning where a server name may stand, and where.
    static let languageWords: [String: String] = {
        var words = [
            "leader": "`leader` is the current leader", "all": "`deliver all`", "none": "`set S voted none`",
            "log": "`show log`, `expect S log`", "net": "`show net`", "empty": "`expect S log empty`",
            "no": "`expect no leader`", "not": "`expect not …`", "error": "`expect error …`", "safe": "`expect safe`",
            "leaders": "`expect leaders N`", "pending": "`expect pending N`", "until": "`tick until leader`",
            "max": "`tick until leader max N`", "nth": "`deliver A->B nth K`", "on": "`set noop on`", "off": "`set noop off`",
        ]
        for role in ["follower", "candidate", "precandidate", "down", "up", "term", "voted", "commit", "votes"] {
            words[role] = "`expect S \(role)`"
        }
        for option in OptionName.allCases.map(\.rawValue) { words[option] = "`set \(option) …`" }
        return words
    }()
}
