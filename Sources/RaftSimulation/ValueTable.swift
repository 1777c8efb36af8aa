/// Client values as small numbers: a stored state names each log entry's value
/// by its code, so millions of stored states share one copy of each string.
public struct ValueTable: Sendable {
    private var values: [String] = [""]
    private var codes: [String: Int] = ["": 0]

    public init() {}

    /// The code of `value`, assigning the next one to a value not seen before.
    public mutating func code(_ value: String) -> Int {
        if let known = knownCode(value) { return known }
        values.append(value)
        codes[value] = values.count - 1
        return values.count - 1
    }

    /// The code of `value` if it has one.
    func knownCode(_ value: String) -> Int? {
        // A search uses a handful of values: comparing them beats hashing the string.
        values.count <= 16 ? values.firstIndex(of: value) : codes[value]
    }

    public func value(_ code: Int) -> String {
        values[code]
    }
}

/// Whatever gives a stored state's values their codes: one table, or one that
/// several threads share (`SharedValueTable`).
protocol ValueCoding {
    mutating func code(_ value: String) -> Int
}

extension ValueTable: ValueCoding {}
