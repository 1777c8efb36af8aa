import RaftCore

/// The forms of `expect`.
extension Cursor {
    mutating func assertion() throws(ParseError) -> Assertion {
        guard let first = peek else { throw missing("what to expect (try `help expect`)") }
        switch first.keyword {
        case "not" where !namesServer:
            position += 1
            guard let next = peek else { throw missing("an assertion after `expect not`") }
            if next.isKeyword("not") { throw ParseError("`not not` is the assertion itself: leave both out", column: next.column) }
            return .not(try assertion())
        case "error" where !namesServer:
            position += 1
            return try commandThatFails()
        case "safe":
            position += 1
            return .safe
        case "leaders":
            position += 1
            return .leaders(try number("the number of leaders", in: NumberRange.count))
        case "no":
            position += 1
            _ = try keyword(["leader"], what: "`leader` after `expect no`")
            return .leaders(0)
        case "pending":
            position += 1
            guard tokens.count - position > 1 else { return .pending(try number("the number of messages in flight", in: NumberRange.count)) }
            let from = try server("a sender")
            guard let arrow = next(), arrow.text == "->" else { throw missing("`->` in `expect pending A->B N`") }
            let to = try server("a receiver")
            return .pendingOnLink(from: from, to: to, count: try number("the number of messages in flight", in: NumberRange.count))
        case "leader" where tokens.count - position == 2 && !Self.serverAssertionWords.contains(tokens[position + 1].keyword):
            position += 1
            return .leaderIs(try server("the expected leader"))
        default:
            let server = try server("a server")
            return try serverAssertion(server)
        }
    }

    /// Whether the words left are `NAME WORD` with WORD one of `expect S …`: a
    /// server named `not` or `error` keeps its version 1 meaning (`expect not leader`).
    private var namesServer: Bool {
        tokens.count - position == 2 && Self.serverAssertionWords.contains(tokens[position + 1].keyword)
    }

    /// `expect error COMMAND…`: the rest of the line is a command. A line that does
    /// not parse is a parse error here too, not an error the assertion expects.
    private mutating func commandThatFails() throws(ParseError) -> Assertion {
        guard let first = next(), let last = tokens.last else { throw missing("a command after `expect error`") }
        // Its own cursor, from its first word, so that forms which count their words see only its own.
        var inner = Cursor(tokens: Array(tokens[(position - 1)...]), line: line)
        inner.position = 1
        if first.isKeyword("source") {
            throw ParseError("`expect error` takes a command that acts on the cluster, not `source`", column: first.column)
        }
        let command = try Parser.parseCommand(first, &inner, extraCommands: [])
        try inner.expectEnd()
        position = tokens.count
        return .error(command, written: String(line[first.start..<last.end]))
    }

    static let serverAssertionWords: Set<String> = [
        "leader", "follower", "candidate", "precandidate", "down", "up", "term", "voted", "log", "commit", "votes",
    ]

    private mutating func serverAssertion(_ server: ServerRef) throws(ParseError) -> Assertion {
        let word = try keyword(
            Array(Self.serverAssertionWords).sorted(),
            what: "leader, follower, candidate, precandidate, down, up, term, voted, log, commit or votes"
        )
        switch word {
        case "leader": return .role(server, .leader)
        case "follower": return .role(server, .follower)
        case "candidate": return .role(server, .candidate)
        case "precandidate": return .role(server, .precandidate)
        case "down": return .down(server)
        case "up": return .up(server)
        case "term": return .term(server, try number("the term", in: NumberRange.term))
        case "commit": return .commit(server, try number("the commit index", in: NumberRange.index))
        case "votes": return .votes(server, try number("the number of votes", in: NumberRange.count))
        case "voted":
            guard let token = next() else { throw missing("a server or `none`") }
            return .voted(server, token.isKeyword("none") ? nil : try Self.serverRef(token, what: "a server or `none`"))
        default:
            if let token = peek, token.isKeyword("empty") {
                position += 1
                return .log(server, [])
            }
            guard peek != nil else { throw missing("the expected log terms, or `empty`") }
            var entries: [ExpectedEntry] = []
            while let token = next() { entries.append(try Self.logEntry(token)) }
            return .log(server, entries)
        }
    }
}
