import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RaftChart

/// The repository's root, for the scripts under `scripts/` and the golden files.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func script(_ relative: String) -> String {
    (repositoryRoot as NSString).appendingPathComponent("scripts/" + relative)
}

/// An SVG read back as XML: each element with its attributes and its text, in
/// document order. Parsing fails (nil) unless the text is well-formed XML.
struct ParsedSVG {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        /// The `class` of the nearest enclosing group.
        var groupClass: String?

        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    }

    var elements: [Element] = []

    init?(_ text: String) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else { return nil }
        elements = delegate.elements
    }

    /// Elements named `name` with every class in `wanted` ("msg delivered").
    func all(_ name: String, class wanted: String) -> [Element] {
        let classes = Set(wanted.split(separator: " ").map(String.init))
        return elements.filter { $0.name == name && classes.isSubset(of: $0.classes) }
    }

    func count(_ name: String, class wanted: String) -> Int {
        all(name, class: wanted).count
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []
        var groups: [String?] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(Element(name: name, attributes: attributes, groupClass: groups.last(where: { $0 != nil }) ?? nil))
            open.append(elements.count - 1)
            groups.append(name == "g" ? attributes["class"] : nil)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
            groups.removeLast()
        }
    }
}
