import Foundation

/// The shell's history file: one line per accepted command, the last `limit`
/// kept, no line twice in a row. Each line is appended as soon as it is accepted,
/// so a crash or a kill loses nothing.
///
/// A file that cannot be read or written costs one warning (the first problem
/// returns it, later ones are silent) and never stops the shell.
public struct HistoryFile {
    public let path: String
    public let limit: Int
    /// The history, oldest first.
    public private(set) var lines: [String] = []
    private var linesInFile = 0
    private var hasWarned = false

    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = limit
    }

    /// `$RAFTSH_HISTORY` when set and not empty, else `~/.raftsh_history`; nil
    /// when there is no home folder either.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let path = environment["RAFTSH_HISTORY"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".raftsh_history")
    }

    /// Reads the file (a missing one is an empty history). Returns a warning if it
    /// exists but cannot be read.
    public mutating func load() -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            return warn("cannot be read")
        }
        let all = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        linesInFile = all.count
        lines = []
        for line in all where line != lines.last { lines.append(line) }
        if lines.count > limit { lines.removeFirst(lines.count - limit) }
        return nil
    }

    /// Adds an accepted line, unless it is blank or repeats the last one, and
    /// appends it to the file. Returns whether it was added (for readline's list)
    /// and a warning when the file could not be written for the first time.
    public mutating func record(_ line: String) -> (added: Bool, warning: String?) {
        guard !line.allSatisfy(\.isWhitespace), !line.contains("\n"), line != lines.last else { return (false, nil) }
        lines.append(line)
        if lines.count > limit { lines.removeFirst(lines.count - limit) }
        return (true, append(line))
    }

    private mutating func append(_ line: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return warn("cannot be written (\(String(cString: strerror(errno))))") }
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let failure = written == bytes.count ? nil : String(cString: strerror(errno))
        close(descriptor)
        if let failure { return warn("cannot be written (\(failure))") }
        linesInFile += 1
        return linesInFile > limit ? trim() : nil
    }

    /// Cuts the file down to its last `limit` lines (written aside, then renamed,
    /// so a kill leaves the old file or the new one). Lines other sessions
    /// appended meanwhile are kept.
    private mutating func trim() -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return warn("cannot be read") }
        let kept = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(limit)
        do {
            try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            linesInFile = kept.count
            return nil
        } catch {
            return warn("cannot be rewritten")
        }
    }

    private mutating func warn(_ problem: String) -> String? {
        guard !hasWarned else { return nil }
        hasWarned = true
        return "history file \(path) \(problem); going on without it"
    }
}
