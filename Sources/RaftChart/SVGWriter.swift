import RaftScript

/// Builds SVG text: elements with attributes in the order given, text escaped.
struct SVGWriter {
    private(set) var text = ""

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, any Sendable> = [:], _ more: KeyValuePairs<String, any Sendable> = [:]) {
        text += "<\(name)"
        write(attributes)
        write(more)
        text += ">\n"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>\n"
    }

    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, any Sendable>) {
        text += "<\(name)"
        write(attributes)
        text += "/>\n"
    }

    mutating func text(_ content: String, _ attributes: KeyValuePairs<String, any Sendable>, title: String? = nil) {
        text += "<text"
        write(attributes)
        text += ">"
        if let title { text += "<title>\(xmlEscaped(title))</title>" }
        text += xmlEscaped(content) + "</text>\n"
    }

    mutating func raw(_ markup: String) {
        text += markup + "\n"
    }

    private mutating func write(_ attributes: KeyValuePairs<String, any Sendable>) {
        for (key, value) in attributes {
            let shown = switch value {
            case let number as Double: format(number)
            case let number as Int: String(number)
            case let string as String: xmlEscaped(string)
            default: xmlEscaped("\(value)")
            }
            text += " \(key)=\"\(shown)\""
        }
    }
}

/// A coordinate with at most one decimal, the same on every machine.
func format(_ value: Double) -> String {
    let tenths = (value * 10).rounded()
    return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(Double(tenths) / 10)
}

