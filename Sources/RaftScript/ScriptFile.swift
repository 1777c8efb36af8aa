import Foundation

/// A script file open for reading, line by line; closed when let go.
///
/// It is opened, not looked up first, so whatever a shell can hand over reads
/// like a file: `/dev/stdin`, a FIFO, `<(…)`.
final class ScriptFile {
    let path: String
    var lines: LineReader
    private let descriptor: Int32

    init(path: String) throws(CommandError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CommandError(Self.reason(errno)) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw CommandError("is a folder, not a script")
        }
        self.path = path
        self.descriptor = descriptor
        lines = LineReader(fileDescriptor: descriptor)
    }

    deinit { close(descriptor) }

    /// The whole file, its lines joined by newlines as the reader splits them
    /// (any line end, no byte-order mark); a line past the cap is an error.
    static func text(_ path: String) throws(CommandError) -> String {
        let file = try ScriptFile(path: path)
        var lines: [String] = []
        while let line = file.lines.next() { lines.append(line) }
        if let failure = file.lines.failure { throw CommandError(failure) }
        return lines.joined(separator: "\n")
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "cannot be read (permission denied)"
        default: "cannot be read (\(String(cString: strerror(code))))"
        }
    }
}
