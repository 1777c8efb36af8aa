/// A word of a command line with the column it starts at (1-based).
public struct Token: Hashable, Sendable {
    public var text: String
    public var column: Int
    /// Where the token ends in the line, so commands that take free text (`echo`,
    /// `submit`) can keep the user's spacing.
    var end: String.Index
    var start: String.Index

    /// Keywords are case-insensitive; server names are not.
    public var keyword: String { text.lowercased() }

    func isKeyword(_ word: String) -> Bool { keyword == word }
}

/// Splits a line into tokens: spaces and tabs separate, `->` and `|` stand alone,
/// `#` starts a comment.
public enum Tokenizer {
    public static func tokens(in line: String) -> [Token] {
        var tokens: [Token] = []
        var index = line.startIndex
        var column = 1
        var wordStart: (String.Index, Int)?

        func closeWord(at end: String.Index) {
            if let (start, startColumn) = wordStart {
                tokens.append(Token(text: String(line[start..<end]), column: startColumn, end: end, start: start))
                wordStart = nil
            }
        }

        while index < line.endIndex {
            let character = line[index]
            let next = line.index(after: index)
            if character == "#" {
                break
            } else if character == " " || character == "\t" || character == "\r" {
                closeWord(at: index)
            } else if character == "|" {
                closeWord(at: index)
                tokens.append(Token(text: "|", column: column, end: next, start: index))
            } else if character == "-", next < line.endIndex, line[next] == ">" {
                closeWord(at: index)
                let after = line.index(after: next)
                tokens.append(Token(text: "->", column: column, end: after, start: index))
                index = after
                column += 2
                continue
            } else if wordStart == nil {
                wordStart = (index, column)
            }
            index = next
            column += 1
        }
        closeWord(at: index)
        return tokens
    }
}
