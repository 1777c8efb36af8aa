/// Text for an XML element or a quoted attribute (a JUnit report, an SVG chart,
/// a page's title): markup escaped, and the characters XML 1.0 cannot hold at
/// all (most control characters) written as `\u{…}`. Text with none of them,
/// by far the most common, is returned as it is after one look at its bytes: a
/// long run's chart escapes a hundred thousand attributes.
public func xmlEscaped(_ text: String) -> String {
    guard text.utf8.contains(where: needsEscape) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result
}

/// Whether a byte starts something `xmlEscaped` changes: markup, a control
/// character, or the first byte of U+FFFE / U+FFFF (0xEF, also the lead of
/// other characters, which are then looked at one by one).
private func needsEscape(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0xEF: true
    case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): false
    default: byte < 0x20
    }
}
