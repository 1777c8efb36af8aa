/// A JSON value, as the node protocol speaks it.
///
/// The protocol's lines are parsed and written here rather than by
/// Foundation: on this machine `JSONDecoder`/`JSONEncoder` took about 880 µs and
/// `JSONSerialization` about 970 µs to read and write one answer carrying a
/// 20-entry log, against a budget of 15 µs for all of raftsh's side of a step
/// (README, "Test your own Raft"). Objects keep their keys sorted, so that a
/// value written back is canonical: equal values are equal text, which is what
/// a state's fingerprint and a determinism check compare.
public enum JSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number with a fraction or an exponent, or too large for an Int.
    case double(Double)
    case string(String)
    case array([JSON])
    /// Members sorted by key; a key appears once (a repeated key keeps its last value).
    case object([Member])

    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSON

        public init(_ key: String, _ value: JSON) {
            self.key = key
            self.value = value
        }
    }

    /// Sorted by key (by UTF-8 bytes), the last of repeated keys kept.
    static func canonical(_ members: [Member]) -> [Member] {
        var sorted = members.enumerated().sorted { a, b in
            a.element.key.utf8.lexicographicallyPrecedes(b.element.key.utf8)
                || (a.element.key == b.element.key && a.offset < b.offset)
        }.map(\.element)
        var index = sorted.count - 1
        while index > 0 {
            if sorted[index - 1].key == sorted[index].key { sorted.remove(at: index - 1) }
            index -= 1
        }
        return sorted
    }

    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSON {
    /// Where two values first differ, as a path (`send[1].to`) and the two
    /// values found there; nil when they are equal.
    public static func firstDifference(_ a: JSON, _ b: JSON, at path: String = "") -> (path: String, a: JSON?, b: JSON?)? {
        switch (a, b) {
        case let (.array(x), .array(y)):
            for index in 0..<max(x.count, y.count) {
                let here = "\(path)[\(index)]"
                guard index < x.count, index < y.count else {
                    return (here, index < x.count ? x[index] : nil, index < y.count ? y[index] : nil)
                }
                if let difference = firstDifference(x[index], y[index], at: here) { return difference }
            }
            return nil
        case let (.object(x), .object(y)):
            let keys = Set(x.map(\.key)).union(y.map(\.key)).sorted()
            for key in keys {
                let here = path.isEmpty ? key : "\(path).\(key)"
                switch (a[key], b[key]) {
                case let (u?, v?):
                    if let difference = firstDifference(u, v, at: here) { return difference }
                case let (u, v):
                    return (here, u, v)
                }
            }
            return nil
        default:
            return a == b ? nil : (path.isEmpty ? "the answer" : path, a, b)
        }
    }
}

extension JSON {
    /// An object from members in any order, canonical as parsed objects are:
    /// what raftsh writes (`--json` summaries) reads back equal.
    public init(object members: [Member]) {
        self = .object(Self.canonical(members))
    }
}
