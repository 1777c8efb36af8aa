/// Writes JSON as one line of UTF-8: no spaces, keys in the order given (sorted
/// for `JSON.object`), strings escaped as RFC 8259 requires.
///
/// Into a buffer of its own rather than an array: a request is written in a
/// few hundred small pieces, and an array's append (its capacity and
/// uniqueness checks, a call to copy) cost more than the bytes themselves.
/// Not copyable, so that the buffer has one owner.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init() {
        capacity = 4096
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }

    /// What has been written.
    public var bytes: [UInt8] {
        Array(written)
    }

    /// What has been written, in place: valid until the next change.
    public var written: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    public mutating func removeAll() {
        count = 0
    }

    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if count + more > capacity { grow(more) }
    }

    private mutating func grow(_ more: Int) {
        let larger = max(capacity * 2, count + more)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = larger
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let start = buffer.baseAddress else { return }
        reserve(buffer.count)
        (base + count).update(from: start, count: buffer.count)
        count += buffer.count
    }

    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text already in JSON form (a program's own field, kept as canonical text).
    public mutating func raw(json text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Bytes already in JSON form (text kept from an earlier request).
    public mutating func raw(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Bytes already in JSON form, in place.
    public mutating func raw(bytes: UnsafeBufferPointer<UInt8>) {
        append(bytes)
    }

    public mutating func int(_ value: Int) {
        // Terms, indexes and counts are nearly always below 100: one or two digits, no loop.
        if value >= 0, value < 100 {
            reserve(2)
            if value >= 10 {
                base[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / 10)
                count += 1
            }
            base[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
            count += 1
            return
        }
        var magnitude = value.magnitude
        if value < 0 { append(UInt8(ascii: "-")) }
        reserve(20)
        // The digits are written last first, then turned around in place.
        var low = base + count
        while magnitude > 0 {
            base[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            count += 1
            magnitude /= 10
        }
        var high = base + count - 1
        while low < high {
            swap(&low.pointee, &high.pointee)
            low += 1
            high -= 1
        }
    }

    public mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            append(UInt8(ascii: "\""))
            // Most text needs no escape: copied at once.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                append(utf8)
            } else {
                for byte in utf8 { escaped(byte) }
            }
            append(UInt8(ascii: "\""))
        }
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case UInt8(ascii: "\n"): raw("\\n")
        case UInt8(ascii: "\r"): raw("\\r")
        case UInt8(ascii: "\t"): raw("\\t")
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            raw("\\u00")
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0xF)])
        default: append(byte)
        }
    }

    /// A key and its colon; the caller writes the value and any comma.
    public mutating func key(_ name: StaticString) {
        append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    public mutating func value(_ value: JSON) {
        switch value {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): raw(json: d.isFinite ? "\(d)" : "null")
        case .string(let s): string(s)
        case .array(let items):
            append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                self.value(item)
            }
            append(UInt8(ascii: "]"))
        case .object(let members):
            append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                string(member.key)
                append(UInt8(ascii: ":"))
                self.value(member.value)
            }
            append(UInt8(ascii: "}"))
        }
    }

    /// A value's canonical text.
    public static func text(_ value: JSON) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
