import ArgumentParser

/// `raftsh exercise FILE`: the shell, with an exercise's scene set.
struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Work an exercise in the shell: its scene is set, you type your answer, `check` checks it.",
        discussion: """
            Runs the exercise up to its line `# your commands here` and leaves you at the \
            prompt in that state. Type commands (undo, show, …) as in the shell, then \
            `check`: the exercise's remaining lines run on a copy of the state and each \
            expectation is listed with ✓ or ✗. A `# forbid: set` header line names \
            commands your answer may not use. Without a terminal, the lines on standard \
            input are the answer, and `check` among them gives the exit status.
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .long, inversion: .prefixedNo, help: "Narrate every protocol event (default: on at a terminal).")
    var trace: Bool?

    @Argument(help: "An exercise (a .raftscript with a `# your commands here` line).", completion: .file(extensions: ["raftscript"]))
    var file: String

    func run() throws {
        throw ExitCode(try Shell.run(servers: cluster.servers, trace: trace, node: cluster.node, exercise: file))
    }
}
