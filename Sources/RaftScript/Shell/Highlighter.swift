/// Colour for a terminal: roles and terms stand out, diagnostics are red.
///
/// It works on the finished plain lines (what scripts and tests see), so the
/// colours never change a word or the alignment of a table.
public struct Highlighter: Sendable {
    public enum Style: String, Sendable {
        case leader = "1;32"
        case candidate = "33"
        case follower = "36"
        case term = "35"
        case down = "31"
        case failure = "1;31"
        /// raftsh's narration marker, and the ✓ of an `expect` that held.
        case quiet = "2"
        case passed = "32"
    }

    /// Wrap escape sequences in readline's \u{1}…\u{2} markers so it can measure
    /// a coloured prompt.
    public var forReadline: Bool

    public init(forReadline: Bool = false) {
        self.forReadline = forReadline
    }

    public func paint(_ text: String, _ style: Style) -> String {
        let open = "\u{1B}[\(style.rawValue)m", close = "\u{1B}[0m"
        return forReadline ? "\u{1}\(open)\u{2}\(text)\u{1}\(close)\u{2}" : open + text + close
    }

    /// A line of output: LEADER, CANDIDATE, FOLLOWER and `term N` in colour;
    /// narration's marker dimmed, so that it stands apart from `echo` lines.
    public func line(_ text: String) -> String {
        if text == Session.passed { return paint(text, .passed) }
        // `check`'s verdicts: a ✓ or ✗ before each expectation.
        if text.hasPrefix(Session.passed + " ") { return paint(Session.passed, .passed) + words(String(text.dropFirst())) }
        if text.hasPrefix("✗ ") { return paint("✗", .failure) + words(String(text.dropFirst())) }
        if text.hasPrefix(Narrator.marker) {
            return paint(Narrator.marker, .quiet) + words(String(text.dropFirst(Narrator.marker.count)))
        }
        return words(text)
    }

    private func words(_ text: String) -> String {
        var result = ""
        var words = WordScanner(text)
        while let piece = words.next() {
            guard piece.isWord else {
                result += piece.text
                continue
            }
            switch piece.text {
            case "LEADER": result += paint(piece.text, .leader)
            case "CANDIDATE": result += paint(piece.text, .candidate)
            case "FOLLOWER": result += paint(piece.text, .follower)
            case "down": result += paint(piece.text, .down)
            case "term", "terms":
                if let number = words.numberAfterSpace() {
                    result += paint(piece.text + " " + number, .term)
                } else {
                    result += piece.text
                }
            default: result += piece.text
            }
        }
        return result
    }

    /// A failed expectation or an error: its kind in red, the rest as a line.
    public func diagnostic(_ diagnostic: Diagnostic) -> String {
        let text = diagnostic.description
        let kind = diagnostic.kind.rawValue + ":"
        guard let range = text.range(of: kind) else { return line(text) }
        return String(text[..<range.lowerBound]) + paint(kind, .failure) + line(String(text[range.upperBound...]))
    }

    /// The session's prompt, `raft[s1 leader t2, 4 in flight]> `: the leader in
    /// green, `no leader` in yellow, the term in magenta.
    public func prompt(_ text: String) -> String {
        var result = ""
        var words = WordScanner(text)
        var previous = ""
        while let piece = words.next() {
            defer { if piece.isWord { previous = piece.text } }
            guard piece.isWord else {
                result += piece.text
                continue
            }
            if piece.text == "leader" || piece.text == "leaders" {
                result += paint(piece.text, previous == "no" ? .candidate : .leader)
            } else if piece.text.count > 1, piece.text.first == "t", piece.text.dropFirst().allSatisfy(\.isNumber) {
                result += paint(piece.text, .term)
            } else {
                result += piece.text
            }
        }
        return result
    }
}

/// Splits text into words (letters, digits, `_`) and what lies between them.
private struct WordScanner {
    let characters: [Character]
    var position = 0

    init(_ text: String) {
        characters = Array(text)
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    mutating func next() -> (text: String, isWord: Bool)? {
        guard position < characters.count else { return nil }
        let start = position
        let isWord = Self.isWordCharacter(characters[position])
        while position < characters.count, Self.isWordCharacter(characters[position]) == isWord { position += 1 }
        return (String(characters[start..<position]), isWord)
    }

    /// ` N` right after the current word: consumed and returned as `N`.
    mutating func numberAfterSpace() -> String? {
        guard position + 1 < characters.count, characters[position] == " ", characters[position + 1].isNumber else { return nil }
        var end = position + 1
        while end < characters.count, characters[end].isNumber { end += 1 }
        guard end == characters.count || !Self.isWordCharacter(characters[end]) else { return nil }
        defer { position = end }
        return String(characters[(position + 1)..<end])
    }
}
