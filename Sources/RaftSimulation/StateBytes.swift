/// The byte format of stored states: unsigned LEB128 numbers, so the small
/// terms, indexes and ids of an exhaustive search take one byte each.
public struct StateWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Inlined for the one-byte numbers that most of a search's are, which
    /// then cost an append.
    @inline(__always)
    public mutating func write(_ value: Int) {
        if UInt(bitPattern: value) < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))
        } else {
            writeLong(value)
        }
    }

    private mutating func writeLong(_ value: Int) {
        precondition(value >= 0, "stored states hold no negative numbers")
        var rest = UInt(value)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public mutating func write(_ flag: Bool) {
        bytes.append(flag ? 1 : 0)
    }

    /// Empties the buffer for the next state, keeping its capacity.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Reads what a `StateWriter` wrote, in the same order.
public struct StateReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var position: Int

    public init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Inlined for one-byte numbers, as `StateWriter.write` is.
    @inline(__always)
    public mutating func readInt() -> Int {
        let byte = bytes[position]
        guard byte >= 0x80 else {
            position += 1
            return Int(byte)
        }
        return readLongInt()
    }

    private mutating func readLongInt() -> Int {
        var value: UInt = 0
        var shift: UInt = 0
        while true {
            let byte = bytes[position]
            position += 1
            value |= UInt(byte & 0x7F) << shift
            if byte < 0x80 { return Int(value) }
            shift += 7
        }
    }

    /// Whether the bytes from here on begin with `prefix`.
    func continues(with prefix: [UInt8]) -> Bool {
        guard position + prefix.count <= bytes.count else { return false }
        for offset in prefix.indices where bytes[position + offset] != prefix[offset] { return false }
        return true
    }

    mutating func skip(_ count: Int) {
        position += count
    }

    /// The bytes read from `start` up to here.
    func bytes(from start: Int) -> ArraySlice<UInt8> {
        bytes[start..<position]
    }

    public mutating func readBool() -> Bool {
        defer { position += 1 }
        return bytes[position] != 0
    }
}
