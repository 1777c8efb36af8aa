import ArgumentParser
import Foundation
import RaftScript

/// `raftsh [FILE]`: a script, or the shell.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .raftscript, or open the shell when no FILE is given."
    )

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .long, inversion: .prefixedNo, help: "Narrate every protocol event (default: on in the shell, off in scripts).")
    var trace: Bool?

    @Argument(help: "A .raftscript to run.", completion: .file(extensions: ["raftscript"]))
    var file: String?

    func run() throws {
        if let file {
            let status = try runScript(file)
            throw ExitCode(status)
        }
        let status = try Shell.run(servers: cluster.servers, trace: trace, node: cluster.node)
        throw ExitCode(status)
    }

    private func runScript(_ path: String) throws -> Int32 {
        let implementation = try cluster.node.implementation(passStandardError: false)
        do {
            let colour = Console.Colour.forTerminal(diagnosticsTo: .standardError)
            var interpreter = try Interpreter(servers: cluster.servers, trace: trace ?? false, implementation: implementation)
            interpreter.progress = Console.terminalProgress
            var runner = ScriptRunner(interpreter: interpreter) { output in
                Console.write(output, diagnosticsTo: .standardError, colour: colour)
            }
            return runner.run(file: path).exitStatus
        } catch {
            // Before the script's first line: only a node program's failure gets here.
            Console.print("raftsh: error: \(error.message)", to: .standardError)
            return 2
        }
    }
}
