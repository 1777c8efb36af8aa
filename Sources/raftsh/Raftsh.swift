import ArgumentParser
import Foundation
import RaftCore

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
        subcommands: [RunCommand.self, TestCommand.self, SimulateCommand.self, ExploreCommand.self],
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

    func validate() throws {
        guard (1...1000).contains(servers) else {
            throw ValidationError("--servers takes 1 to 1000, not \(servers)")
        }
    }
}

/// `--unsafe VARIANT` takes the variant's name, and `--help` lists them.
extension UnsafeVariant: ExpressibleByArgument {}
