import Foundation

/// Writes a whole file so that nothing is lost on the way: through a symbolic
/// link to the file it names (the link stays), never over anything but a regular
/// file (a FIFO, a device such as `/dev/null`, a folder), and by a temporary
/// file beside it renamed into place, so a write that fails half-way leaves the
/// old file whole. Used by `save` and by `simulate`/`explore --output`.
public enum FileWriter {
    public static func write(_ text: String, to path: String) throws(CommandError) {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw CommandError("cannot write \(quoted(path)): a file name must not be empty or end in `/`")
        }
        let target = try resolvingLinks(path)
        var info = stat()
        let exists = stat(target, &info) == 0
        if exists, info.st_mode & S_IFMT != S_IFREG {
            throw CommandError("\(path) is \(kind(info.st_mode)), not a regular file: not written")
        }
        let (folder, name) = split(target)
        var template = Array((folder + "/." + name + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw CommandError("cannot write \(path): \(folderProblem(errno, folder: folder))")
        }
        let temporary = String(cString: template)
        var failure: Int32?
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count, failure == nil {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { written += count } else if errno != EINTR { failure = errno }
        }
        // A new file gets the usual permissions; a replaced one keeps its own.
        let mask = umask(0)
        umask(mask)
        if failure == nil, fchmod(descriptor, exists ? info.st_mode & 0o7777 : 0o666 & ~mask) != 0 { failure = errno }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == nil, rename(temporary, target) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            let kept = exists ? "; the old file is unchanged" : ""
            throw CommandError("cannot write \(path): \(String(cString: strerror(failure)))\(kept)")
        }
    }

    /// The file a chain of symbolic links ends at (it may not exist yet).
    static func resolvingLinks(_ path: String) throws(CommandError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else { return current }
            let destination = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : split(current).folder + "/" + destination
        }
        throw CommandError("cannot write \(path): too many symbolic links (a loop?)")
    }

    /// The folder and the name of a file path (`.` when it names no folder). By
    /// hand: Foundation's `deletingLastPathComponent` traps on some paths (`x/`).
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = path[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    static func folderProblem(_ code: Int32, folder: String) -> String {
        switch code {
        case ENOENT: "the folder \(folder) does not exist"
        case ENOTDIR: "\(folder) is not a folder"
        case EACCES: "no permission to write in the folder \(folder)"
        default: "cannot create a file in \(folder) (\(String(cString: strerror(code))))"
        }
    }
}
