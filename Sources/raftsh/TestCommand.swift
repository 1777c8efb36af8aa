import ArgumentParser
import RaftScript

/// `raftsh test PATH…`.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scripts quietly, each in a fresh cluster, and count them.",
        discussion: """
            A folder means every .raftscript under it, except exercises \
            (*.exercise.raftscript), which are skipped and counted; name an exercise \
            to run it. Prints each failed expect and error, then `N passed, N failed`.
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: "Scripts or folders of scripts.", completion: .file())
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one script or folder") }
    }

    func run() throws {
        let runner = TestRunner(servers: cluster.servers) { output in
            Console.write(output, diagnosticsTo: .standardOutput)
        }
        let result = runner.run(paths: paths)
        Console.print(result.summary)
        throw ExitCode(result.exitStatus)
    }
}
