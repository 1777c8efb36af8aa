import ArgumentParser
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
}

/// Options every way of starting a cluster shares.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "Servers in a fresh cluster (1 to 1000).")
    var servers = 5

    func validate() throws {
        guard (1...1000).contains(servers) else {
            throw ValidationError("--servers takes 1 to 1000, not \(servers)")
        }
    }
}

/// `--unsafe VARIANT` takes the variant's name, and `--help` lists them.
extension UnsafeVariant: ExpressibleByArgument {}
