import RaftCluster
import RaftCore

/// A failing schedule written as a `.raftscript` that anyone can replay and step through.
public enum Counterexample {
    public static func script(
        steps: [Step], violation: SafetyViolation, options: SimulationOptions, header: [String]
    ) -> String {
        let name: (ServerID) -> String = { "s\($0.index + 1)" }
        var lines = header.map { "# " + $0 }
        lines.append("# Breaks \(violation.describe(name)).")
        lines.append("")
        lines.append("cluster \(options.servers)")
        if let unsafe = options.unsafe { lines.append("set unsafe \(unsafe.rawValue) on") }
        lines += steps.map { $0.command(name) }
        lines.append("expect safe")
        return lines.joined(separator: "\n") + "\n"
    }
}
