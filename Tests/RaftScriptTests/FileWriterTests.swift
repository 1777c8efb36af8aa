import Foundation
import Testing

@testable import RaftScript

/// `save!` and `--output` write through links, refuse what is not a regular
/// file, and never leave a file half written (issue 22, item 3).
@Suite(.timeLimit(.minutes(3)))
struct FileWriterTests {
    func save(_ path: String) -> [String] {
        var out: [String] = []
        var session = Session(interpreter: try! Interpreter(), mode: .interactive) { output in
            switch output {
            case .line(let line): out.append(line)
            case .diagnostic(let diagnostic): out.append(diagnostic.description)
            }
        }
        _ = session.handle("timeout s1")
        _ = session.handle("save! \(path)")
        return out
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStays() throws {
        let folder = TemporaryFolder()
        let target = folder.write("real.raftscript", "old\n")
        let link = folder.path + "/link.raftscript"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.raftscript")
        #expect(save(link) == ["saved 1 command to \(link)"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.raftscript")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasSuffix("cluster 5\ntimeout s1\n"))
    }

    @Test func aDanglingLinkCreatesItsTarget() throws {
        let folder = TemporaryFolder()
        let link = folder.path + "/link.raftscript"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.path + "/new.raftscript")
        #expect(save(link) == ["saved 1 command to \(link)"])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/new.raftscript"))
    }

    @Test func aFIFOIsRefusedAndLeftAlone() throws {
        let folder = TemporaryFolder()
        let fifo = folder.path + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(save(fifo) == ["error: \(fifo) is a FIFO, not a regular file: not written"])
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func aDeviceIsRefused() throws {
        #expect(save("/dev/null") == ["error: /dev/null is a device, not a regular file: not written"])
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func aFolderIsRefused() throws {
        let folder = TemporaryFolder()
        #expect(save(folder.path) == ["error: \(folder.path) is a folder, not a regular file: not written"])
    }

    @Test func aReplacedFileKeepsItsPermissionsAndNoTemporaryFileIsLeft() throws {
        let folder = TemporaryFolder()
        let path = folder.write("kept.raftscript", "old\n")
        #expect(chmod(path, 0o640) == 0)
        try FileWriter.write("new\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.raftscript"])
    }

    @Test func aFailedWriteNamesThePathAndLeavesTheOldFileWhole() throws {
        let folder = TemporaryFolder()
        let path = folder.write("kept.raftscript", "old\n")
        // /dev/full fails every write: a link to it is refused before anything is written.
        let full = folder.path + "/full"
        try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: "/dev/full")
        #expect(throws: CommandError("\(full) is a device, not a regular file: not written")) { try FileWriter.write("x", to: full) }
        #expect(throws: CommandError("cannot write \(folder.path)/none/x: the folder \(folder.path)/none does not exist")) {
            try FileWriter.write("x", to: folder.path + "/none/x")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    }

    /// A write that fails half-way (here: past the file-size limit) leaves the
    /// old file as it was and no temporary file behind.
    @Test(.enabled(if: EndToEndTests.binary != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func aWriteThatFailsHalfWayLeavesTheOldFileWhole() throws {
        let folder = TemporaryFolder()
        let path = folder.write("kept.raftscript", "old\n")
        let lines = (1...300).map { _ in "timeout s1" } + ["save! \(path)"]
        let input = folder.write("input", lines.joined(separator: "\n") + "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        // SIGXFSZ ignored, so the write fails with EFBIG instead of ending the process.
        process.arguments = ["-c", "trap '' XFSZ; exec /usr/bin/prlimit --fsize=2000 \"$0\" < \"$1\"", EndToEndTests.binary!, input]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr == "<stdin>:301: error: cannot write \(path): File too large; the old file is unchanged\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["input", "kept.raftscript"])
    }
}
