import ArgumentParser
import Foundation
import RaftChart
import RaftScript

/// `raftsh chart FILE [-o OUT]`: runs a script and draws its run.
struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Run a .raftscript and draw its run as a message sequence chart.",
        discussion: """
            OUT ending in .svg gives a picture; .html (the default, FILE with .html \
            in place of .raftscript) a page that steps through the run with ←/→ and a \
            slider, showing the `show` table and the `show log` grid at each step. The \
            script's output and diagnostics are printed as `raftsh run` prints them; \
            the chart is written even when an expect fails or a line errs (it is \
            marked in red), and the exit status is the script's: 0, 1 or 2.
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .shortAndLong, help: "Where to write the chart: .svg or .html.", completion: .file(extensions: ["svg", "html"]))
    var output: String?

    @Argument(help: "A .raftscript to run and draw.", completion: .file(extensions: ["raftscript"]))
    var file: String

    func run() throws {
        let path = output ?? ChartFile.defaultPath(forScript: file)
        do {
            _ = try ChartFile.format(of: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw CommandError("\(file): \(isDirectory.boolValue ? "is a folder, not a script" : "no such file")")
            }
            let implementation = try cluster.node.implementation(passStandardError: false)
            defer { implementation.program?.stop() }
            let (recording, summary) = try ChartRun.record(file: file, servers: cluster.servers, implementation: implementation) { output in
                Console.write(output, diagnosticsTo: .standardError)
            }
            try ChartFile.write(recording, to: path, title: file)
            Console.print("wrote \(path): \(recording.steps.count) commands, \(recording.eventCount) events, \(recording.messages.count) messages")
            throw ExitCode(summary.exitStatus)
        } catch let error as CommandError {
            Console.print(Diagnostic(.error, at: nil, error.message).description, to: .standardError)
            throw ExitCode(2)
        }
    }
}
