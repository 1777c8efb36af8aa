import Foundation
import Testing

@testable import RaftScript

/// Seeded fuzzing (issue 22): generated and mutated scripts, run as a file, as a
/// piped session with the shell's own commands, and through the built binary.
/// Whatever the input, a run ends with status 0, 1 or 2, every diagnostic is
/// one line that starts `FILE:LINE:` with a line of the script, an error is the
/// last thing reported, and nothing crashes (a trap would end the test process).
///
/// CI runs a fixed seed; `RAFTSH_FUZZ_SEED` and `RAFTSH_FUZZ_SCRIPTS` run others
/// and more (the README's reliability notes record a long run).
@Suite(.timeLimit(.minutes(FuzzSize.scripts > 4_000 ? 600 : 3)))
struct FuzzTests {
    static let seed = FuzzSize.environment["RAFTSH_FUZZ_SEED"].flatMap { UInt64($0) } ?? 22
    static let scripts = FuzzSize.scripts

    /// What every run must satisfy; the problems found (none when it held).
    static func problems(
        name: String, text: String, diagnostics: [Diagnostic], status: Int32, failedExpectations: Int
    ) -> [String] {
        var problems: [String] = []
        var reader = LineReader(text: text)
        var lineCount = 0
        while reader.next() != nil { lineCount += 1 }
        if !(0...2).contains(status) { problems.append("exit status \(status)") }
        for diagnostic in diagnostics {
            let shown = diagnostic.description
            guard let location = diagnostic.location, location.file == name, (1...max(lineCount, 1)).contains(location.line) else {
                problems.append("no FILE:LINE of the script: \(shown)")
                continue
            }
            if !shown.hasPrefix("\(name):\(location.line): ") || shown.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                problems.append("not one line starting FILE:LINE: \(shown)")
            }
        }
        let errors = diagnostics.filter { $0.kind == .error }
        if errors.count > 1 || (errors.count == 1 && diagnostics.last?.kind != .error) {
            problems.append("an error is not the last thing reported")
        }
        let expected: Int32 = errors.isEmpty ? (failedExpectations > 0 ? 1 : 0) : 2
        if status != expected { problems.append("exit status \(status), expected \(expected)") }
        return problems
    }

    @Test func generatedScriptsRunAsFilesEndWellAndSayWhere() throws {
        var fuzzer = ScriptFuzzer(seed: Self.seed)
        for index in 0..<Self.scripts {
            let text = fuzzer.script().joined(separator: "\n") + "\n"
            let name = "fuzz-\(Self.seed)-\(index).raftscript"
            var diagnostics: [Diagnostic] = []
            var runner = ScriptRunner(interpreter: try Interpreter()) { output in
                if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic) }
            }
            let started = ContinuousClock.now
            let summary = runner.run(script: text, named: name)
            let took = ContinuousClock.now - started
            // No hang: the ranges keep the longest accepted line to seconds.
            #expect(took < .seconds(30), "seed \(Self.seed), script \(index) took \(took):\n\(text)")
            let found = Self.problems(
                name: name, text: text, diagnostics: diagnostics, status: summary.exitStatus,
                failedExpectations: summary.failedExpectations
            )
            #expect(found.isEmpty, "seed \(Self.seed), script \(index):\n\(text)\(found.joined(separator: "\n"))")
            if !found.isEmpty { return }
        }
    }

    @Test func generatedPipedSessionsWithShellCommandsEndWellAndSayWhere() throws {
        let folder = TemporaryFolder()
        let here = FileManager.default.currentDirectoryPath
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: here))
        defer {
            // `save` wrote only into the scratch folder, never where the tests run.
            #expect(Set((try? FileManager.default.contentsOfDirectory(atPath: here)) ?? []) == before)
        }
        var fuzzer = ScriptFuzzer(seed: Self.seed &+ 1)
        for index in 0..<Self.scripts / 3 {
            let text = fuzzer.script(shell: true, saveFolder: folder.path).joined(separator: "\n") + "\n"
            var diagnostics: [Diagnostic] = []
            var session = Session(interpreter: try Interpreter(), mode: .script(name: "<stdin>")) { output in
                if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic) }
            }
            var reader = LineReader(text: text)
            var lines: [String] = []
            while let line = reader.next() { lines.append(line) }
            var input = ScriptedLines(lines)
            let status = session.run(&input)
            let found = Self.problems(
                name: "<stdin>", text: text, diagnostics: diagnostics, status: status,
                failedExpectations: session.summary.failedExpectations
            )
            #expect(found.isEmpty, "seed \(Self.seed &+ 1), session \(index):\n\(text)\(found.joined(separator: "\n"))")
            if !found.isEmpty { return }
        }
    }

    /// Fewer, since each starts a process: the binary's exit status (a trap
    /// shows as a signal, not 0–2) and standard error, line by line.
    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func generatedScriptsThroughTheBinaryEndWell() throws {
        let folder = TemporaryFolder()
        var fuzzer = ScriptFuzzer(seed: Self.seed &+ 2)
        for index in 0..<max(Self.scripts / 40, 10) {
            let text = fuzzer.script().joined(separator: fuzzer.pick(["\n", "\r\n", "\r"])) + "\n"
            let path = folder.write("f\(index).raftscript", text)
            let result = try EndToEndTests.raftsh([path])
            let stray = result.stderr.split(separator: "\n").filter { line in
                !line.hasPrefix("\(path):") || line.dropFirst(path.count + 1).prefix { $0.isNumber }.isEmpty
            }
            #expect((0...2).contains(result.status) && stray.isEmpty, "seed \(Self.seed &+ 2), script \(index) (status \(result.status)):\n\(text)\(stray.joined(separator: "\n"))")
        }
        let test = try EndToEndTests.raftsh(["test", folder.path])
        #expect((1...2).contains(test.status) || test.status == 0)
        #expect(test.stdout.split(separator: "\n").last?.contains(" passed, ") == true)
    }
}

/// How many scripts a fuzz run takes: 4 000 in CI, more for a long run.
enum FuzzSize {
    static let environment = ProcessInfo.processInfo.environment
    static let scripts = environment["RAFTSH_FUZZ_SCRIPTS"].flatMap { Int($0) } ?? 4_000
}
