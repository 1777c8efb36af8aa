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
            let status = runScript(file)
            throw ExitCode(status)
        }
        let status = Shell.run(servers: cluster.servers, trace: trace)
        throw ExitCode(status)
    }

    private func runScript(_ path: String) -> Int32 {
        do {
            var interpreter = try Interpreter(servers: cluster.servers, trace: trace ?? false)
            interpreter.progress = Console.terminalProgress
            var runner = ScriptRunner(interpreter: interpreter) { output in
                Console.write(output, diagnosticsTo: .standardError)
            }
            return runner.run(file: path).exitStatus
        } catch {
            Console.write(.diagnostic(Diagnostic(.error, at: nil, error.message)), diagnosticsTo: .standardError)
            return 2
        }
    }
}
