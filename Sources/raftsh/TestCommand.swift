import ArgumentParser
import Foundation
import RaftNode
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
            when there was no script to run (unless --allow-empty). --json prints the \
            results as one JSON object on standard output instead (keys: command, passed, \
            failed, errors, skipped, seconds, exitStatus, scripts: path, result — passed, \
            failed, error or skipped —, seconds, messages); the other lines go to standard error.
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

    @Flag(help: "Print the results as one JSON object on standard output; other lines go to standard error.")
    var json = false

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one script or folder") }
    }

    func run() throws {
        Console.jsonOnStandardOutput = json
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
        if json { Console.printJSON(Self.json(result)) }
        throw ExitCode(result.exitStatus)
    }

    /// The `--json` object: the counts, and each script with its result and what it reported.
    static func json(_ result: TestRunner.Result) -> JSON {
        let scripts: [JSON] = result.cases.map { test in
            let (outcome, messages): (String, [String]) = switch test.outcome {
            case .passed: ("passed", [])
            case .failed(let diagnostics): ("failed", diagnostics.map(\.description))
            case .error(let diagnostic): ("error", [diagnostic.description])
            case .skipped(let reason): ("skipped", [reason])
            }
            return JSON(object: [
                .init("path", .string(test.path)), .init("result", .string(outcome)),
                .init("seconds", .double((test.seconds * 1000).rounded() / 1000)),
                .init("messages", .array(messages.map(JSON.string))),
            ])
        }
        let errors = result.cases.count { if case .error = $0.outcome { true } else { false } }
        return JSON(object: [
            .init("command", .string("test")),
            .init("passed", .int(result.passed)), .init("failed", .int(result.failed)),
            .init("errors", .int(errors)), .init("skipped", .int(result.skipped)),
            .init("seconds", .double((result.cases.reduce(0) { $0 + $1.seconds } * 1000).rounded() / 1000)),
            .init("exitStatus", .int(Int(result.exitStatus))),
            .init("scripts", .array(scripts)),
        ])
    }
}
