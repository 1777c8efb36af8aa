import CAffinity
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
    /// Where to look for the next newline: the bytes before it have none.
    private var searched = 0
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
        Self.shareCoreWithChild()
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
        // Writes never block: with several requests in flight, a full pipe
        // each way would otherwise leave both sides waiting for the other.
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        errorTail.start()
    }

    /// How many bytes of requests may wait in the pipe, unanswered, while asking ahead.
    static let pipelinedBytes = 256 << 10

    deinit {
        terminate()
    }

    /// Keeps the calling thread on one core, so that the program started next
    /// (which inherits the setting) runs there too. Requests and answers
    /// strictly alternate, so the two never run at once: on one core an answer
    /// wakes raftsh in a context switch, where across two cores each wake-up
    /// costs several times that (README, "Test your own Raft": the pipe's share
    /// of a step). Each program started takes the next core in turn, not the
    /// one its thread happens to be on: the jobs of `simulate --jobs 2` start
    /// their programs at the same moment, often from the same core, and kept
    /// there together they ran no faster than one job.
    private static func shareCoreWithChild() {
        _ = raftsh_stay_on_next_cpu()
    }

    /// Lets the program run on any core from now on, beside raftsh rather than
    /// in turns with it on one: with several requests in flight (asking ahead)
    /// it works on the next while raftsh reads the last answer, and the
    /// instances of `explore --jobs` spread over the cores.
    func runOnEveryCore() {
        _ = raftsh_run_on_every_cpu(process.processIdentifier)
    }

    /// Writes one line, and a newline after it, in one system call as a rule
    /// (`writev`, so that the line is not copied to add the newline).
    func send(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) {
        var newline = UInt8(ascii: "\n")
        let total = line.count + 1
        var written = 0
        while written < total {
            let result = withUnsafeMutablePointer(to: &newline) { newline in
                withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { parts in
                    var count: Int32 = 0
                    if written < line.count, let start = line.baseAddress {
                        parts[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: start + written), iov_len: line.count - written)
                        count = 1
                    }
                    parts[Int(count)] = iovec(iov_base: UnsafeMutableRawPointer(newline), iov_len: 1)
                    return writev(input, parts.baseAddress, count + 1)
                }
            }
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    // The pipe is full: wait until the program has read some.
                    var poller = pollfd(fd: input, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&poller, 1, -1)
                    continue
                }
                if errno == EPIPE { throw .exited(status: exitStatus()) }
                throw .writeFailed(String(cString: strerror(errno)))
            }
            written += result
        }
    }

    /// The next line, without its newline; waits at most `timeout`.
    func receiveLine(timeout: Duration) throws(Failure) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = try takeLine() { return line }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timedOut(seconds: timeout.seconds) }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Self.milliseconds(remaining))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            if let line = try readChunk() { return line }
        }
    }

    /// Writes every line and reads as many answers, in order: several requests
    /// in flight, so that one wake-up of raftsh takes in many answers and the
    /// program never waits for the next request. Writing and reading take turns
    /// as the pipes allow (`poll` on both), so neither side can block the other
    /// with a full pipe. The first failure ends the list (its answers before it
    /// stand); `timeout` bounds the wait for each answer.
    func exchange(_ lines: [[UInt8]], timeout: Duration) -> [Result<[UInt8], Failure>] {
        var answers: [Result<[UInt8], Failure>] = []
        answers.reserveCapacity(lines.count)
        var pending: [UInt8] = []
        var pendingStart = 0
        var next = 0
        var deadline = ContinuousClock.now + timeout
        while answers.count < lines.count {
            do throws(Failure) {
                if let line = try takeLine() {
                    answers.append(.success(line))
                    deadline = ContinuousClock.now + timeout
                    continue
                }
            } catch {
                return answers + [.failure(error)]
            }
            if pendingStart == pending.count, next < lines.count {
                pending.removeAll(keepingCapacity: true)
                pendingStart = 0
                while next < lines.count, pending.count < Self.pipelinedBytes {
                    pending.append(contentsOf: lines[next])
                    pending.append(UInt8(ascii: "\n"))
                    next += 1
                }
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return answers + [.failure(.timedOut(seconds: timeout.seconds))] }
            var pollers = [
                pollfd(fd: output, events: Int16(POLLIN), revents: 0),
                pollfd(fd: pendingStart < pending.count ? input : -1, events: Int16(POLLOUT), revents: 0),
            ]
            let ready = poll(&pollers, 2, Self.milliseconds(remaining))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            if pollers[1].revents != 0 {
                let result = pending[pendingStart...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
                if result > 0 {
                    pendingStart += result
                } else if result < 0, errno != EINTR, errno != EAGAIN {
                    return answers + [.failure(errno == EPIPE ? .exited(status: exitStatus()) : .writeFailed(String(cString: strerror(errno))))]
                }
            }
            if pollers[0].revents != 0 {
                do throws(Failure) {
                    if let line = try readChunk() {
                        answers.append(.success(line))
                        deadline = ContinuousClock.now + timeout
                    }
                } catch {
                    return answers + [.failure(error)]
                }
            }
        }
        return answers
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        Int32(min(duration.seconds * 1000 + 1, Double(Int32.max)))
    }

    /// A whole line already read, if there is one.
    private func takeLine() throws(Failure) -> [UInt8]? {
        if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(buffer[start..<newline])
            start = newline + 1
            if start == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            searched = start
            return line
        }
        searched = buffer.count
        guard buffer.count - start <= Self.maxLineLength else { throw .lineTooLong(limit: Self.maxLineLength) }
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            searched -= start
            start = 0
        }
        return nil
    }

    /// Reads what the program has written (at least a byte: `poll` said so).
    /// The usual read, one whole line and nothing before or after it, is that
    /// line, made at once; otherwise what was read is kept for `takeLine`.
    private func readChunk() throws(Failure) -> [UInt8]? {
        while true {
            let got = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw .exited(status: exitStatus()) }
            if buffer.isEmpty {
                let line = chunk.withUnsafeBufferPointer { chunk -> [UInt8]? in
                    guard let base = chunk.baseAddress, let newline = memchr(base, Int32(UInt8(ascii: "\n")), got),
                        newline == UnsafeRawPointer(base + got - 1)
                    else { return nil }
                    return Array(UnsafeBufferPointer(start: base, count: got - 1))
                }
                if let line { return line }
            }
            buffer.append(contentsOf: chunk[0..<got])
            return nil
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
