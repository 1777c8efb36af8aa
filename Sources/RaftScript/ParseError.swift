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
    let shown = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))).escapingInvisibles
    return "`\(shown)\(text.unicodeScalars.count > 40 ? "…" : "")`"
}

extension Unicode.Scalar {
    /// Characters that show as nothing, or as something else, on a terminal:
    /// controls, format characters (a byte-order mark, a zero-width space), line
    /// separators, spaces other than the plain one, private and unassigned code
    /// points, and U+FFFD (where bytes were not UTF-8).
    var isInvisible: Bool {
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: true
        case .spaceSeparator: self != " "
        default: self == "\u{FFFD}"
        }
    }
}

extension String {
    /// The text with every invisible character written out (`\x0d`, `\u{feff}`),
    /// so an error message shows what is really in the line.
    var escapingInvisibles: String {
        guard unicodeScalars.contains(where: \.isInvisible) else { return self }
        var shown = ""
        for scalar in unicodeScalars {
            if !scalar.isInvisible {
                shown.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                shown += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            } else {
                shown += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return shown
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
