/// Client values as small numbers: a stored state names each log entry's value
/// by its code, so millions of stored states share one copy of each string.
public struct ValueTable: Sendable {
    private var values: [String] = [""]
    private var codes: [String: Int] = ["": 0]

    public init() {}

    /// The code of `value`, assigning the next one to a value not seen before.
    public mutating func code(_ value: String) -> Int {
        // A search uses a handful of values: comparing them beats hashing the string.
        let known = values.count <= 16 ? values.firstIndex(of: value) : codes[value]
        if let known { return known }
        values.append(value)
        codes[value] = values.count - 1
        return values.count - 1
    }

    public func value(_ code: Int) -> String {
        values[code]
    }
}
