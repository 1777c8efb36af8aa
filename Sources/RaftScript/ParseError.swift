/// A line that is not a valid command, with the column where the problem starts.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { message }
}

/// A word as an error message shows it: quoted, printable, and short even when
/// the line was 200 kB of garbage.
func quoted(_ text: String) -> String {
    var shown = ""
    for scalar in text.unicodeScalars.prefix(40) {
        if scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" {
            shown += scalar.value < 0x100 ? "\\x" + String(scalar.value, radix: 16, uppercase: false).leftPadded(to: 2) : "?"
        } else {
            shown.unicodeScalars.append(scalar)
        }
    }
    if text.unicodeScalars.count > 40 { shown += "…" }
    return "`\(shown)`"
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
