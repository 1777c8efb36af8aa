import RaftCore

/// Turns one line into a `Command`, or explains at which column it went wrong.
public enum Parser {
    /// The shell's own commands (`Session` handles them before the parser sees a
    /// line): in a script file they are not RaftScript, and the error says so.
    public static let shellCommands = Set(Session.commandWords)

    /// Parses a line; nil for a blank or comment-only line. `extraCommands` are
    /// words the caller handles itself (the shell's `undo`), offered in suggestions.
    public static func parse(_ line: String, extraCommands: [String] = []) throws(ParseError) -> Command? {
        try checkLength(of: line)
        var cursor = Cursor(tokens: Tokenizer.tokens(in: line), line: line)
        guard let first = cursor.next() else { return nil }
        let command = try parseCommand(first, &cursor, extraCommands: extraCommands)
        try cursor.expectEnd()
        return command
    }

    /// Every reader of lines (a file, standard input, the prompt) stops at the
    /// same length, so an endless line is one error, not unbounded memory.
    public static func checkLength(of line: String) throws(ParseError) {
        guard line.utf8.count <= LineReader.maxLineLength else {
            throw ParseError("the line is longer than \(LineReader.maxLineLength) bytes, the most a line may have", column: 1)
        }
    }

    static func parseCommand(_ word: Token, _ c: inout Cursor, extraCommands: [String]) throws(ParseError) -> Command {
        switch word.keyword {
        case "timeout": return .timeout(try c.servers("a server to time out"))
        case "heartbeat": return .heartbeat(try c.server("a leader"))
        case "submit":
            let server = try c.server("a server")
            return .submit(server, try c.rest("a value to submit"))
        case "transfer":
            let leader = try c.server("a leader")
            return .transfer(leader, try c.server("a server to hand leadership to"))
        case "deliver": return .deliver(try c.selection(command: "deliver"))
        case "drop": return .drop(try c.selection(command: "drop"))
        case "duplicate": return try c.duplicate()
        case "settle": return .settle(try c.optionalNumber("the most deliveries", in: NumberRange.deliveries))
        case "partition": return .partition(try c.groups())
        case "isolate": return .isolate(try c.server("a server to isolate"))
        case "heal":
            guard c.peek != nil else { return .heal }
            let (from, to, bothWays) = try c.link(command: "heal")
            return .healCut(from, to, bothWays: bothWays)
        case "cut":
            let (from, to, bothWays) = try c.link(command: "cut")
            return .cut(from, to, bothWays: bothWays)
        case "crash": return .crash(try c.servers("a server to crash"))
        case "restart": return .restart(try c.servers("a server to restart"))
        case "tick": return try c.tick()
        case "cluster": return try c.cluster()
        case "set": return try c.set()
        case "show": return .show(try c.showTarget())
        case "help": return .help(c.next()?.keyword)
        case "echo": return .echo(c.restOrEmpty())
        case "expect": return .expect(try c.assertion())
        case "source": return .source(try c.rest("a file name"))
        default:
            if shellCommands.contains(word.keyword) {
                throw ParseError(
                    "`\(word.keyword)` is a shell command: it works at the raftsh prompt and on piped standard input, not in a script file or a sourced one",
                    column: word.column
                )
            }
            var message = "unknown command \(quoted(word.text))"
            if let near = CommandCatalog.suggestion(for: word.text, among: CommandCatalog.names + extraCommands) {
                message += "; did you mean `\(near)`?"
            } else {
                message += " (try `help`)"
            }
            throw ParseError(message, column: word.column)
        }
    }
}

/// The options of `set OPTION VALUE`.
public enum OptionName: String, CaseIterable, Sendable {
    case seed
    case electionTimeout = "election-timeout"
    case heartbeatInterval = "heartbeat-interval"
    case latency
    case loss
    case noop
    case prevote
    case checkquorum
    case trace
    case unsafe
}

/// Reads tokens left to right, with one error message style for everything.
struct Cursor {
    let tokens: [Token]
    let line: String
    var position = 0

    init(tokens: [Token], line: String) {
        self.tokens = tokens
        self.line = line
    }

    var peek: Token? { position < tokens.count ? tokens[position] : nil }

    /// The column just past the last token, for "missing …" errors.
    var endColumn: Int { (tokens.last.map { $0.column + $0.text.count }) ?? 1 }

    mutating func next() -> Token? {
        defer { position += 1 }
        return peek
    }

    func missing(_ what: String) -> ParseError {
        ParseError("missing \(what)", column: endColumn)
    }

    func expectEnd() throws(ParseError) {
        if let extra = peek {
            throw ParseError("unexpected \(quoted(extra.text)) (too many arguments)", column: extra.column)
        }
    }

    mutating func keyword(_ words: [String], what: String) throws(ParseError) -> String {
        guard let token = next() else { throw missing(what) }
        guard words.contains(token.keyword) else {
            throw ParseError("expected \(what), found \(quoted(token.text))", column: token.column)
        }
        return token.keyword
    }

    mutating func server(_ what: String) throws(ParseError) -> ServerRef {
        guard let token = next() else { throw missing(what) }
        return try Self.serverRef(token, what: what)
    }

    static func serverRef(_ token: Token, what: String) throws(ParseError) -> ServerRef {
        if token.isKeyword("leader") { return .leader }
        guard token.text != "->", token.text != "|", token.text != "*" else {
            throw ParseError("expected \(what), found \(quoted(token.text))", column: token.column)
        }
        return .named(token.text)
    }

    /// One server or more, to the end of the line (`timeout`, `crash`, `restart`).
    mutating func servers(_ what: String) throws(ParseError) -> [ServerRef] {
        var servers = [try server(what)]
        while peek != nil { servers.append(try server("a server")) }
        return servers
    }

    mutating func number(_ what: String, in range: ClosedRange<Int>) throws(ParseError) -> Int {
        guard let token = next() else { throw missing(what) }
        return try Self.number(token, what: what, in: range)
    }

    /// A whole number within `range` (see `NumberRange`): anything else is an
    /// error that names the range, however many digits were typed.
    static func number(_ token: Token, what: String, in range: ClosedRange<Int>) throws(ParseError) -> Int {
        let digits = token.text.hasPrefix("-") || token.text.hasPrefix("+") ? token.text.dropFirst() : Substring(token.text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ParseError("expected a whole number for \(what), found \(quoted(token.text))", column: token.column)
        }
        guard let value = Int(token.text), range.contains(value) else {
            throw ParseError("\(what) must be from \(NumberRange.describe(range)), not \(quoted(token.text))", column: token.column)
        }
        return value
    }

    mutating func optionalNumber(_ what: String, in range: ClosedRange<Int>) throws(ParseError) -> Int? {
        peek == nil ? nil : try number(what, in: range)
    }

    /// The rest of the line as typed (spacing kept), for values and file names.
    mutating func rest(_ what: String) throws(ParseError) -> String {
        guard let first = peek, let last = tokens.last else { throw missing(what) }
        position = tokens.count
        return String(line[first.start..<last.end])
    }

    mutating func restOrEmpty() -> String {
        (try? rest("")) ?? ""
    }

    mutating func onOff(_ what: String) throws(ParseError) -> Bool {
        try keyword(["on", "off"], what: "on or off for \(what)") == "on"
    }
}
