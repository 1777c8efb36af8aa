import ArgumentParser
import Foundation
import RaftScript

/// `raftsh test PATH…`.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scripts quietly, each in a fresh cluster, and count them.",
        discussion: """
            A folder means every .raftscript under it, except exercises \
            (*.exercise.raftscript), which are skipped and counted; name an exercise \
            to run it. Prints each failed expect and error, then `N passed, N failed`. \
            Exits 0 when every script passed, 1 when one failed, 2 on an error, and 2 \
            when there was no script to run (unless --allow-empty).
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "List every script with its result (PASS, FAIL, ERROR, SKIP).")
    var verbose = false

    @Flag(help: "Finding no script to run is not an error.")
    var allowEmpty = false

    @Argument(help: "Scripts or folders of scripts.", completion: .file())
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Also write the results as JUnit XML to FILE, for CI.", valueName: "FILE"))
    var junit: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one script or folder") }
    }

    func run() throws {
        let implementation = try cluster.node.implementation(passStandardError: false)
        var runner = TestRunner(servers: cluster.servers, implementation: implementation) { output in
            Console.write(output, diagnosticsTo: .standardOutput)
        }
        runner.verbose = verbose
        runner.allowEmpty = allowEmpty
        let result = runner.run(paths: paths)
        if let junit {
            do {
                try FileWriter.write(JUnitReport.xml(result.cases), to: junit)
            } catch {
                Console.print("raftsh test: error: \(error.message)", to: .standardError)
                throw ExitCode(2)
            }
        }
        Console.print(result.summary)
        throw ExitCode(result.exitStatus)
    }
}
