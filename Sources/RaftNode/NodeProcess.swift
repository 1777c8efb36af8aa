import Foundation
import Glibc
import Synchronization

/// One running node program: `/bin/sh -c CMD` in the current folder, spoken to
/// one line at a time over its standard input and output.
///
/// Started with Foundation's `Process` (which gives it a process group of its
/// own); lines are read and written on the pipes' descriptors directly, with
/// `poll` bounding the wait for an answer. Its standard error is drained as it
/// comes, so a program that floods it never blocks: the last lines are kept for
/// error messages, and in the shell they are passed through as well.
final class NodeProcess: @unchecked Sendable {
    enum Failure: Error, Hashable {
        case cannotStart(String)
        /// The program closed its output or exited; its exit status when known.
        case exited(status: Int32?)
        case timedOut(seconds: Double)
        case lineTooLong(limit: Int)
        case writeFailed(String)
    }

    /// The longest answer line accepted (a state with a very long log is still far shorter).
    static let maxLineLength = 64 << 20

    let command: String
    private let process = Process()
    /// Our ends of the pipes, held so that their descriptors stay open.
    private let inputHandle: FileHandle
    private let outputHandle: FileHandle
    private var input: Int32 { inputHandle.fileDescriptor }
    private var output: Int32 { outputHandle.fileDescriptor }
    /// Read but not yet handed out: bytes from `start` on.
    private var buffer: [UInt8] = []
    private var start = 0
    /// What each `read` fills, kept from one to the next.
    private var chunk = [UInt8](repeating: 0, count: 65536)
    private let errorTail: ErrorTail

    init(command: String, passStandardError: Bool) throws(Failure) {
        self.command = command
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        inputHandle = stdin.fileHandleForWriting
        outputHandle = stdout.fileHandleForReading
        errorTail = ErrorTail(handle: stderr.fileHandleForReading, passThrough: passStandardError)
        do {
            let started = try ChildProcesses.start { [process] in
                try process.run()
                return process.processIdentifier
            }
            guard started != nil else {
                kill(-process.processIdentifier, SIGKILL)
                throw Failure.cannotStart("too many node processes at once")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .cannotStart(error.localizedDescription)
        }
        // The child's ends are the child's: closing ours lets the pipes signal EOF.
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        errorTail.start()
    }

    deinit {
        terminate()
    }

    /// Writes one line (a newline is added).
    func send(_ line: [UInt8]) throws(Failure) {
        var bytes = line
        bytes.append(UInt8(ascii: "\n"))
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw .exited(status: exitStatus()) }
                throw .writeFailed(String(cString: strerror(errno)))
            }
            written += result
        }
    }

    /// The next line, without its newline; waits at most `timeout`.
    func receiveLine(timeout: Duration) throws(Failure) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var searched = start
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                if start == buffer.count {
                    buffer.removeAll(keepingCapacity: true)
                    start = 0
                }
                return line
            }
            searched = buffer.count
            guard buffer.count - start <= Self.maxLineLength else { throw .lineTooLong(limit: Self.maxLineLength) }
            if start > 0, start >= buffer.count / 2 {
                buffer.removeFirst(start)
                searched -= start
                start = 0
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timedOut(seconds: timeout.seconds) }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining.seconds * 1000 + 1, Double(Int32.max)))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let got = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw .exited(status: exitStatus()) }
            buffer.append(contentsOf: chunk[0..<got])
        }
    }

    /// The last lines the program wrote to its standard error.
    var standardErrorTail: [String] { errorTail.lines }

    /// Ends the program and everything it started. Idempotent. With a `grace`,
    /// its input is closed first and it has that long to finish by itself (a
    /// program may write what it kept, as the Python adapter's statistics).
    func terminate(grace: Duration = .zero) {
        let group = process.processIdentifier
        guard group > 0 else { return }
        if grace > .zero, process.isRunning {
            try? inputHandle.close()
            let deadline = ContinuousClock.now + grace
            while process.isRunning, ContinuousClock.now < deadline { usleep(2000) }
        }
        if process.isRunning { kill(-group, SIGKILL) }
        ChildProcesses.remove(group)
        try? inputHandle.close()
        process.waitUntilExit()
        try? outputHandle.close()
    }

    /// The exit status once the program has exited (waiting briefly for it to finish).
    private func exitStatus() -> Int32? {
        for _ in 0..<50 where process.isRunning {
            usleep(2000)
        }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// Drains a program's standard error on a thread of its own, keeping its last lines.
private final class ErrorTail: Sendable {
    static let kept = 10
    static let width = 200

    private let handle: FileHandle
    private let passThrough: Bool
    private let state = Mutex<(lines: [String], partial: [UInt8])>(([], []))

    init(handle: FileHandle, passThrough: Bool) {
        self.handle = handle
        self.passThrough = passThrough
    }

    var lines: [String] {
        state.withLock { state in
            state.partial.isEmpty ? state.lines : state.lines + [Self.cut(state.partial)]
        }
    }

    func start() {
        let thread = Thread { [self] in drain() }
        thread.start()
    }

    private func drain() {
        let descriptor = handle.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            if passThrough { _ = chunk.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, got) } }
            state.withLock { state in
                for byte in chunk[0..<got] {
                    if byte == UInt8(ascii: "\n") {
                        state.lines.append(Self.cut(state.partial))
                        if state.lines.count > Self.kept { state.lines.removeFirst() }
                        state.partial.removeAll(keepingCapacity: true)
                    } else if state.partial.count < Self.width + 1 {
                        state.partial.append(byte)
                    }
                }
            }
        }
        try? handle.close()
    }

    private static func cut(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(width), as: UTF8.self)
        return bytes.count > width ? text + "…" : text
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
