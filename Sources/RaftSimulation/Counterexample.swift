import RaftCluster
import RaftCore

/// A failing schedule written as a `.raftscript` that anyone can replay and step through.
public enum Counterexample {
    /// `setup` replaces the fresh `cluster N` start (for a search that began from a script's state).
    public static func script(
        steps: [Step], violation: SafetyViolation, servers: Int, unsafe: UnsafeVariant?,
        header: [String], setup: [String]? = nil, names: [String]? = nil, settings: [String] = []
    ) -> String {
        let name: (ServerID) -> String = { names?[$0.index] ?? "s\($0.index + 1)" }
        var lines = header.map { "# " + $0 }
        lines.append("# Breaks \(violation.describe(name)).")
        lines.append("")
        lines += setup ?? ["cluster \(servers)"]
        if let unsafe { lines.append("set unsafe \(unsafe.rawValue) on") }
        lines += settings
        lines += steps.map { $0.command(name) }
        lines.append("expect safe")
        return lines.joined(separator: "\n") + "\n"
    }
}
