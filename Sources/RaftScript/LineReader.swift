import Foundation

/// Script lines from text, a file or standard input, cut the same way everywhere:
/// a line ends at `\n`, `\r\n` or a lone `\r` (a script saved on Windows or an old
/// Mac runs as written), and a UTF-8 byte-order mark at the very start is not
/// part of the first line.
///
/// It reads a file descriptor in chunks, so a pipe, a FIFO or `/dev/stdin` reads
/// like a file, and it never holds more than one line: a line longer than
/// `maxLineLength` bytes is handed out cut to `maxLineLength + 1` bytes (too long
/// to run: the runner reports it) and ends the input, so `raftsh < /dev/zero`
/// stops at once instead of buffering without end.
public struct LineReader {
    /// The longest line, in bytes, that any reader of RaftScript accepts (files,
    /// standard input and the shell's prompt alike).
    public static let maxLineLength = 65_536

    private let descriptor: Int32?
    private var buffer: [UInt8]
    private var position = 0
    private var atEnd: Bool
    private var startOfInput = true
    /// Why reading stopped early, when a read failed.
    public private(set) var failure: String?

    /// Lines of text already in memory.
    public init(text: String) {
        descriptor = nil
        buffer = Array(text.utf8)
        atEnd = true
    }

    /// Lines read from an open file descriptor, which the caller closes.
    public init(fileDescriptor: Int32) {
        descriptor = fileDescriptor
        buffer = []
        atEnd = false
    }

    /// The next line without its line end; nil at the end of the input.
    public mutating func next() -> String? {
        if startOfInput {
            startOfInput = false
            while !atEnd, buffer.count - position < 3 { refill() }
            if buffer[position...].starts(with: [0xEF, 0xBB, 0xBF]) { position += 3 }
        }
        // Bytes after `position` already known to hold no line end.
        var scanned = 0
        while true {
            if let end = buffer[(position + scanned)...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                if end - position > Self.maxLineLength { return cutLongLine() }
                if buffer[end] == 0x0D, end + 1 == buffer.count, !atEnd {
                    // `\r` ends the chunk: whether `\n` follows is in the next one.
                    scanned = end - position
                    refill()
                    continue
                }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                let crlf = buffer[end] == 0x0D && end + 1 < buffer.count && buffer[end + 1] == 0x0A
                position = end + (crlf ? 2 : 1)
                return line
            }
            if buffer.count - position > Self.maxLineLength { return cutLongLine() }
            if atEnd {
                guard position < buffer.count else { return nil }
                let line = String(decoding: buffer[position...], as: UTF8.self)
                position = buffer.count
                return line
            }
            scanned = buffer.count - position
            refill()
        }
    }

    /// The first `maxLineLength + 1` bytes of an over-long line; the input ends there.
    private mutating func cutLongLine() -> String {
        let line = String(decoding: buffer[position..<(position + Self.maxLineLength + 1)], as: UTF8.self)
        buffer = []
        position = 0
        atEnd = true
        return line
    }

    /// Drops what was read and appends the next chunk (or notes the end).
    private mutating func refill() {
        guard let descriptor, !atEnd else {
            atEnd = true
            return
        }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
                return
            }
            if count < 0, errno == EINTR { continue }
            if count < 0 { failure = String(cString: strerror(errno)) }
            atEnd = true
            return
        }
    }
}
