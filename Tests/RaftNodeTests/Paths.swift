import Foundation

/// Files of this repository the node tests use: the Python example and the
/// misbehaving fixtures (node programs that each break the protocol one way).
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let example = root + "/examples/python/leader_election.py"
    static let scripts = root + "/scripts"

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

    /// Whether a process whose command line contains `marker` is running.
    static func isRunning(_ marker: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        process.arguments = ["-f", marker]
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
