import Foundation

/// Files of this repository the node tests use: the Python example and the
/// misbehaving fixtures (node programs that each break the protocol one way).
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let example = root + "/examples/python/leader_election.py"
    static let scripts = root + "/scripts"

    /// The built `raftsh`, next to the test bundle (SwiftPM puts products side by side).
    static var binary: String? {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [products, Bundle.main.bundleURL] {
            let path = candidate.appendingPathComponent("raftsh").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func fixture(_ name: String) -> String {
        root + "/Tests/Fixtures/nodes/\(name).py"
    }

    /// The command that runs a Python node program.
    static func node(_ path: String) -> String {
        "python3 \(path)"
    }

    static var hasPython: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/python3")
            || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }

    /// Whether a process whose command line contains `marker` is running (from /proc).
    static func isRunning(_ marker: String) -> Bool {
        isRunning { $0.contains(marker) }
    }

    /// Whether a process whose command line matches is running (from /proc).
    static func isRunning(where matches: (String) -> Bool) -> Bool {
        let me = "\(getpid())"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries where entry.allSatisfy(\.isNumber) && entry != me {
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let command = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            if matches(command) { return true }
        }
        return false
    }
}
