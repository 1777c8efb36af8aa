import ArgumentParser
import Foundation
import RaftNode

/// `raftsh simulate merge FILE…`: one summary from the `--json` summaries of a
/// campaign's shards, as if one machine had run every seed.
struct SimulateMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the --json summaries of simulate runs split by --seed into one.",
        discussion: """
            Each FILE holds the JSON object `raftsh simulate --json` printed. The shards must \
            have the same options and no seed in common. Counts are summed, the highest term \
            is the highest of all, seconds are summed (machine time, not wall time), the \
            violation is the one with the lowest seed, and the result is partial if any shard \
            was. Prints the merged summary as one JSON object; the exit status is 1 when a \
            shard found a violation, 0 otherwise, and 2 (one line naming the file) when a file \
            cannot be read or is not such a summary.
            """
    )

    @Argument(help: "Summaries written by `raftsh simulate --json`.", completion: .file(extensions: ["json"]))
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one summary file") }
    }

    func run() throws {
        var merged: SimulateSummary?
        for file in files {
            do throws(SummaryError) {
                let summary = try Self.read(file)
                if merged == nil { merged = summary } else { try merged!.merge(summary) }
            } catch {
                Console.print("raftsh simulate merge: error: \(file): \(error.message)", to: .standardError)
                throw ExitCode(2)
            }
        }
        guard let merged else { return }
        Console.printJSON(merged.json)
        if merged.violation != nil { throw ExitCode(1) }
    }

    static func read(_ path: String) throws(SummaryError) -> SimulateSummary {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw SummaryError("no such file") }
        guard !isFolder.boolValue else { throw SummaryError("is a folder, not a summary") }
        // A summary is a few hundred bytes; a huge file is something else, not worth reading.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= 1 << 20 else { throw SummaryError("\(size) bytes is too large for a summary") }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw SummaryError("cannot be read") }
        let json: JSON
        do {
            json = try JSONParser.parse(Array(bytes))
        } catch {
            throw SummaryError("not JSON: \(error)")
        }
        return try SimulateSummary(json: json)
    }
}
