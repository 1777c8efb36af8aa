import ArgumentParser
import Foundation
import RaftCluster
import RaftCore
import RaftNode

@main
struct Raftsh: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raftsh",
        abstract: "A deterministic virtual Raft cluster, driven one event at a time.",
        discussion: """
            With no FILE, opens an interactive shell on a fresh cluster (type `help`). \
            With FILE, runs a .raftscript and exits 0 when every expect held, 1 when \
            any failed, 2 on an error.
            """,
        version: "raftsh 1.0 (RaftScript 1.1)",
        subcommands: [RunCommand.self, TestCommand.self, ExerciseCommand.self, SimulateCommand.self, ExploreCommand.self, ChartCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// ArgumentParser ends a usage error (an unknown flag, a bad value) with 64,
    /// EX_USAGE; raftsh's documented status for every error is 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Options every way of starting a cluster shares.
struct ClusterOptions: ParsableArguments {
    // `.unconditional`: `--servers -1` is a value to refuse, not a missing one.
    @Option(name: .long, parsing: .unconditional, help: "Servers in a fresh cluster (1 to 1000).")
    var servers = 5

    @OptionGroup var node: NodeOptions

    func validate() throws {
        guard (1...1000).contains(servers) else {
            throw ValidationError("--servers takes 1 to 1000, not \(servers)")
        }
    }
}

/// `--node CMD`: every server of every cluster is a user's program (node-protocol.md).
struct NodeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Run your own Raft: every server is this program, spoken to over the node protocol (run as /bin/sh -c CMD).",
        valueName: "CMD"
    ))
    var node: String?

    @Option(name: .long, help: ArgumentHelp("Seconds a node program may take to answer one step.", valueName: "SECONDS"))
    var nodeTimeout = 10.0

    func validate() throws {
        guard nodeTimeout > 0, nodeTimeout <= 3600 else {
            throw ValidationError("--node-timeout takes more than 0 and at most 3600 seconds, not \(nodeTimeout)")
        }
        if let node, node.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--node needs a command")
        }
    }

    /// raftsh's own servers, or the program started and greeted; a program
    /// that cannot start ends raftsh with one line and status 2.
    func implementation(passStandardError: Bool, checkDeterminism: Bool = false) throws -> Implementation {
        guard let node else { return .builtIn }
        do {
            return .program(try Node(
                command: node, timeLimit: .milliseconds(Int(nodeTimeout * 1000)), passesStandardError: passStandardError,
                checksDeterminism: checkDeterminism
            ))
        } catch {
            Console.print("raftsh: error: node: \(error.message)", to: .standardError)
            throw ExitCode(2)
        }
    }
}

/// `--unsafe VARIANT` takes the variant's name, and `--help` lists them.
extension UnsafeVariant: ExpressibleByArgument {}
