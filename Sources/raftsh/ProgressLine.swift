import Foundation
import Synchronization

/// How a long `explore` or `simulate` says how it is going, on standard error,
/// with the memory it holds: on a terminal one line rewritten in place (at most
/// five times a second); otherwise — a file, a pipe, a CI log — a line of its
/// own every ten seconds, so a job left running is seen to be alive.
/// `RAFTSH_PROGRESS_SECONDS` sets that interval (the tests use a short one).
final class ProgressLine: Sendable {
    private let command: String
    private let start: ContinuousClock.Instant
    private let inPlace: Bool
    private let interval: Duration
    private let lastShown = Mutex<ContinuousClock.Instant?>(nil)

    init(command: String, start: ContinuousClock.Instant) {
        self.command = command
        self.start = start
        inPlace = Console.progressInPlace
        interval = inPlace ? .milliseconds(200) : Self.configuredInterval
    }

    /// The interval between lines when standard error is not a terminal.
    static var configuredInterval: Duration {
        let text = ProcessInfo.processInfo.environment["RAFTSH_PROGRESS_SECONDS"] ?? ""
        guard let seconds = Double(text), seconds.isFinite, seconds > 0 else { return .seconds(10) }
        return .milliseconds(Int(min(seconds, 1e6) * 1000))
    }

    /// Shows `figures` (with the time taken and the memory) when a line is due.
    func show(_ figures: (_ seconds: Double) -> String) {
        let now = ContinuousClock.now
        let due = lastShown.withLock { last in
            // The first line off a terminal waits a whole interval: a short job prints none.
            if now - (last ?? (inPlace ? now - interval : start)) < interval { return false }
            last = now
            return true
        }
        guard due else { return }
        let seconds = (now - start).seconds
        let memory = "memory \(Memory.residentMiB()) MiB"
        if inPlace {
            FileHandle.standardError.write(Data("\r\u{1B}[K  \(figures(seconds))  \(memory)".utf8))
        } else {
            FileHandle.standardError.write(Data("raftsh \(command): \(String(format: "%.1f", seconds)) s: \(figures(seconds)), \(memory)\n".utf8))
        }
    }

    /// Clears the line on a terminal before the summary is printed.
    func finish() {
        if inPlace, lastShown.withLock({ $0 != nil }) { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// The process's memory, from /proc (0 where there is none).
enum Memory {
    /// Resident now: the second figure of /proc/self/statm, in pages.
    static func residentMiB() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / (1024 * 1024)
    }

    /// The peak resident memory so far (VmHWM).
    static func peakMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}
