import RaftCore

/// The argument forms of the commands that take more than a server or a number.
extension Cursor {
    /// `A->B [N|all]`, `A->*`, `*->B`, `all`.
    mutating func selection(command: String) throws(ParseError) -> MessageSelection {
        let what = "A->B, A->*, *->B or all after `\(command)`"
        guard let first = next() else { throw missing(what) }
        if first.isKeyword("all") { return .all }
        if first.text == "->" || first.text == "|" {
            throw ParseError("`->` needs a server on its left", column: first.column)
        }
        guard let arrow = next() else {
            throw ParseError("expected \(what), found \(quoted(first.text)) alone", column: first.column)
        }
        guard arrow.text == "->" else {
            throw ParseError("expected `->` after \(quoted(first.text)), found \(quoted(arrow.text))", column: arrow.column)
        }
        guard let second = next() else {
            throw ParseError("`->` needs a server on its right", column: arrow.column)
        }
        switch (first.text == "*", second.text == "*") {
        case (true, true): return .all
        case (true, false): return .to(try Self.serverRef(second, what: "a receiver"))
        case (false, true): return .from(try Self.serverRef(first, what: "a sender"))
        case (false, false):
            let from = try Self.serverRef(first, what: "a sender")
            let to = try Self.serverRef(second, what: "a receiver")
            guard let amount = next() else { return .link(from: from, to: to, count: 1) }
            if amount.isKeyword("all") { return .link(from: from, to: to, count: nil) }
            if amount.isKeyword("nth") { return .nth(from: from, to: to, position: try linkPlace()) }
            let count = try Self.number(amount, what: "the number of messages", in: 1...NumberRange.count.upperBound)
            return .link(from: from, to: to, count: count)
        }
    }

    /// The K of `nth K`: 1 is the oldest message on the link.
    mutating func linkPlace() throws(ParseError) -> Int {
        // `nth` counts from 1, the oldest message on the link.
        try number("the message's place on the link", in: 1...NumberRange.index.upperBound)
    }

    /// `duplicate A->B [nth K]`.
    mutating func duplicate() throws(ParseError) -> Command {
        let from = try server("a sender")
        guard let arrow = next() else { throw missing("`->` and a receiver") }
        guard arrow.text == "->" else {
            throw ParseError("expected `->`, found \(quoted(arrow.text))", column: arrow.column)
        }
        let to = try server("a receiver")
        guard peek != nil else { return .duplicate(from: from, to: to, position: 1) }
        _ = try keyword(["nth"], what: "`nth K`")
        return .duplicate(from: from, to: to, position: try linkPlace())
    }

    /// `G1 | G2 | …`, each group one or more servers.
    mutating func groups() throws(ParseError) -> [[ServerRef]] {
        var groups: [[ServerRef]] = [[]]
        while let token = next() {
            if token.text == "|" {
                guard !groups[groups.count - 1].isEmpty else {
                    throw ParseError("empty group before `|`", column: token.column)
                }
                groups.append([])
            } else {
                groups[groups.count - 1].append(try Self.serverRef(token, what: "a server"))
            }
        }
        guard !groups[0].isEmpty else { throw missing("the groups, as in `partition s1 s2 | s3 s4 s5`") }
        guard !groups[groups.count - 1].isEmpty else { throw ParseError("empty group after `|`", column: endColumn) }
        return groups
    }

    /// The link of `cut` and `heal`: `A->B` one way, `A B` both ways.
    mutating func link(command: String) throws(ParseError) -> (ServerRef, ServerRef, bothWays: Bool) {
        let from = try server("A->B or A B after `\(command)`")
        let arrow = peek?.text == "->"
        if arrow { position += 1 }
        let to = try server(arrow ? "a server on the right of `->`" : "A->B or A B after `\(command)`")
        return (from, to, !arrow)
    }

    /// `tick [N]`, `tick until leader [max N]`.
    mutating func tick() throws(ParseError) -> Command {
        guard let token = peek else { return .tick(1) }
        guard token.isKeyword("until") else { return .tick(try number("the number of ticks", in: NumberRange.ticks)) }
        position += 1
        _ = try keyword(["leader"], what: "`leader` after `tick until`")
        guard peek != nil else { return .tickUntilLeader(max: nil) }
        _ = try keyword(["max"], what: "`max N`")
        return .tickUntilLeader(max: try number("the most ticks", in: NumberRange.ticks))
    }

    /// `cluster N` or `cluster NAME…`.
    mutating func cluster() throws(ParseError) -> Command {
        guard let first = peek else { throw missing("a size or server names") }
        if tokens.count == 2, first.text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) {
            return .clusterOfSize(try number("the number of servers", in: NumberRange.servers))
        }
        var names: [String] = []
        while let token = next() {
            if let problem = ServerName.problem(with: token.text) {
                throw ParseError("\(quoted(token.text)) cannot name a server: \(problem)", column: token.column)
            }
            guard !names.contains(token.text) else {
                throw ParseError("server name \(quoted(token.text)) is given twice", column: token.column)
            }
            names.append(token.text)
        }
        guard names.count <= NumberRange.servers.upperBound else {
            throw ParseError("a cluster has at most \(NumberRange.servers.upperBound) servers", column: first.column)
        }
        return .clusterNamed(names)
    }

    mutating func showTarget() throws(ParseError) -> ShowTarget {
        guard let token = next() else { return .cluster }
        switch token.keyword {
        case "log": return .log
        case "net": return .net
        default: return .server(try Self.serverRef(token, what: "a server, `log` or `net`"))
        }
    }

    /// `set S term|log|voted|commit …` or `set OPTION VALUE`.
    mutating func set() throws(ParseError) -> Command {
        guard let target = peek else { throw missing("a server or an option after `set`") }
        if let option = OptionName(rawValue: target.keyword) {
            position += 1
            return .setOption(try optionSetting(option))
        }
        let server = try server("a server or an option")
        let field = try keyword(["term", "log", "voted", "commit"], what: "term, log, voted or commit after the server")
        switch field {
        case "term": return .setTerm(server, try number("the term", in: NumberRange.term))
        case "commit": return .setCommit(server, try number("the commit index", in: NumberRange.index))
        case "voted":
            guard let token = next() else { throw missing("a server or `none`") }
            return .setVoted(server, token.isKeyword("none") ? nil : try Self.serverRef(token, what: "a server or `none`"))
        default:
            var entries: [LogEntry] = []
            while let token = next() {
                let entry = try Self.logEntry(token)
                entries.append(LogEntry(term: entry.term, value: entry.value ?? ""))
            }
            return .setLog(server, entries)
        }
    }

    /// `T` or `T:value`.
    static func logEntry(_ token: Token) throws(ParseError) -> ExpectedEntry {
        let parts = token.text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else {
            throw ParseError("expected a term (or TERM:VALUE) in the log, found \(quoted(token.text))", column: token.column)
        }
        guard let term = Int(parts[0]), NumberRange.term.contains(term) else {
            throw ParseError("a term must be from \(NumberRange.describe(NumberRange.term)), not \(quoted(String(parts[0])))", column: token.column)
        }
        return ExpectedEntry(term: term, value: parts.count == 2 ? String(parts[1]) : nil)
    }

    mutating func optionSetting(_ option: OptionName) throws(ParseError) -> OptionSetting {
        switch option {
        case .seed:
            guard let token = next() else { throw missing("the seed") }
            guard let seed = UInt64(token.text) else {
                throw ParseError("expected a whole number from 0 to \(UInt64.max) for the seed, found \(quoted(token.text))", column: token.column)
            }
            return .seed(seed)
        case .electionTimeout: return .electionTimeout(try range("election timeout"))
        case .latency: return .latency(try range("latency"))
        case .heartbeatInterval:
            return .heartbeatInterval(try number("the heartbeat interval", in: NumberRange.duration))
        case .loss:
            guard let token = next() else { throw missing("a probability from 0 to 1") }
            guard let p = Double(token.text), p >= 0, p <= 1 else {
                throw ParseError("expected a probability from 0 to 1, found \(quoted(token.text))", column: token.column)
            }
            return .loss(p)
        case .noop: return .noop(try onOff("noop"))
        case .prevote: return .prevote(try onOff("prevote"))
        case .checkquorum: return .checkquorum(try onOff("checkquorum"))
        case .trace: return .trace(try onOff("trace"))
        case .unsafe:
            let names = UnsafeVariant.allCases.map(\.rawValue)
            let variant = try keyword(names, what: "an unsafe variant (\(names.joined(separator: ", ")))")
            return .unsafe(UnsafeVariant(rawValue: variant)!, try onOff("unsafe \(variant)"))
        }
    }

    /// `LO HI`, both within `NumberRange.duration`, LO ≤ HI.
    private mutating func range(_ what: String) throws(ParseError) -> ClosedRange<Int> {
        let column = peek?.column ?? endColumn
        let low = try number("the lowest \(what)", in: NumberRange.duration)
        let high = try number("the highest \(what)", in: NumberRange.duration)
        guard low <= high else {
            throw ParseError("the \(what) must be LO HI with LO ≤ HI, not \(low) \(high)", column: column)
        }
        return low...high
    }
}
