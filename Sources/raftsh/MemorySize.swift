import ArgumentParser
import Foundation

/// An amount of memory as a person writes it on the command line: `512M`,
/// `4G`, `1.5G`, `800K`, or bytes; K, M and G are binary (KiB, MiB, GiB), as
/// `ulimit`, `free` and JVM flags take them.
struct MemorySize: ExpressibleByArgument, CustomStringConvertible {
    var bytes: Int

    init(bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(suffix: String, scale: Double)] = [("GIB", 0x4000_0000), ("MIB", 0x10_0000), ("KIB", 0x400), ("GB", 0x4000_0000), ("MB", 0x10_0000), ("KB", 0x400), ("G", 0x4000_0000), ("M", 0x10_0000), ("K", 0x400), ("B", 1)]
        let unit = units.first { text.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number > 0, number * unit.scale < Double(Int.max) else {
            return nil
        }
        bytes = Int(number * unit.scale)
    }

    /// Most of the machine's memory: 80% of what it has (or of the control
    /// group's limit, when one is set lower), leaving the rest to the process's
    /// own needs and to everything else running.
    static var mostOfTheMachine: MemorySize {
        var total = Int(ProcessInfo.processInfo.physicalMemory)
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0
        {
            total = min(total, limit)
        }
        return MemorySize(bytes: total / 5 * 4)
    }

    var description: String {
        for (unit, scale) in [("G", 0x4000_0000), ("M", 0x10_0000), ("K", 0x400)] where bytes >= scale {
            let value = Double(bytes) / Double(scale)
            return value == value.rounded() ? "\(Int(value))\(unit)" : String(format: "%.1f\(unit)", value)
        }
        return "\(bytes) bytes"
    }

    var defaultValueDescription: String { "\(self), 80% of physical memory" }
}
