import Foundation
import Testing

@testable import RaftScript

/// The scenario library under `scripts/`: every script passes, every exercise
/// fails as shipped (failed expectations, not an error) and its solution passes.
@Suite(.timeLimit(.minutes(3)))
struct ScriptLibraryTests {
    /// The package root, three levels above this file (Tests/RaftScriptTests/…).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let scriptsFolder = (root as NSString).appendingPathComponent("scripts")
    static let exercisesFolder = (scriptsFolder as NSString).appendingPathComponent("exercises")
    static let solutionsFolder = (exercisesFolder as NSString).appendingPathComponent("solutions")

    /// Every `.raftscript` under `folder`, as paths relative to it, sorted.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(TestRunner.scriptSuffix) { found.append(relative) }
        }
        return found.sorted()
    }

    /// Scripts that must pass (solutions and the unsafe demonstrations, which end
    /// in `expect not safe`, included), relative to `scripts/`; none is a `.fails` script.
    static let scripts = files(under: scriptsFolder).filter {
        !$0.hasSuffix(TestRunner.exerciseSuffix) && !$0.hasSuffix(TestRunner.mustFailSuffix)
    }

    /// Exercises, relative to `scripts/`.
    static let exercises = files(under: scriptsFolder).filter { $0.hasSuffix(TestRunner.exerciseSuffix) }

    struct Outcome {
        var summary: ScriptRunner.Summary
        var diagnostics: [String]
    }

    /// Runs one script in a fresh five-server cluster, as `raftsh test` does.
    static func run(_ relative: String) throws -> Outcome {
        let path = (scriptsFolder as NSString).appendingPathComponent(relative)
        var diagnostics: [String] = []
        var runner = ScriptRunner(interpreter: try Interpreter(servers: 5, trace: false)) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }
        let summary = runner.run(file: path)
        return Outcome(summary: summary, diagnostics: diagnostics)
    }

    /// The solution that belongs to an exercise: `exercises/NAME.exercise.raftscript`
    /// → `exercises/solutions/NAME.raftscript`.
    static func solution(of exercise: String) -> String {
        let name = (exercise as NSString).lastPathComponent
        let base = String(name.dropLast(TestRunner.exerciseSuffix.count))
        let folder = (exercise as NSString).deletingLastPathComponent
        return ((folder as NSString).appendingPathComponent("solutions") as NSString)
            .appendingPathComponent(base + TestRunner.scriptSuffix)
    }

    @Test func theLibraryHoldsAtLeastTwentyScripts() {
        #expect(Self.scripts.count >= 20, "\(Self.scripts)")
        #expect(Self.scripts.contains { $0.hasPrefix("paper/") })
        #expect(Self.scripts.contains { $0.hasPrefix("rules/") })
    }

    @Test(arguments: scripts)
    func scriptPasses(_ script: String) throws {
        let outcome = try Self.run(script)
        #expect(outcome.summary.exitStatus == 0, "\(outcome.diagnostics.joined(separator: "\n"))")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.joined(separator: "\n"))")
    }

    @Test func thereAreAtLeastThreeExercises() {
        #expect(Self.exercises.count >= 3, "\(Self.exercises)")
        #expect(Self.exercises.allSatisfy { $0.hasPrefix("exercises/") })
    }

    @Test(arguments: exercises)
    func exerciseFailsAsShipped(_ exercise: String) throws {
        let text = try String(contentsOfFile: (Self.scriptsFolder as NSString).appendingPathComponent(exercise), encoding: .utf8)
        #expect(text.contains("# your commands here"))
        let outcome = try Self.run(exercise)
        #expect(!outcome.summary.errored, "an error, not failed expectations: \(outcome.diagnostics)")
        #expect(outcome.summary.failedExpectations > 0)
        #expect(outcome.summary.exitStatus == 1)
    }

    @Test(arguments: exercises)
    func exerciseHasAPassingSolution(_ exercise: String) throws {
        let solution = Self.solution(of: exercise)
        #expect(Self.scripts.contains(solution), "no solution \(solution) for \(exercise)")
        guard Self.scripts.contains(solution) else { return }
        let outcome = try Self.run(solution)
        #expect(outcome.summary.exitStatus == 0, "\(outcome.diagnostics.joined(separator: "\n"))")
    }

    @Test func everySolutionBelongsToAnExercise() {
        let solutions = Self.scripts.filter { $0.hasPrefix("exercises/solutions/") }
        let expected = Set(Self.exercises.map(Self.solution(of:)))
        #expect(Set(solutions) == expected)
    }

    @Test func raftshTestOnTheFolderPassesAndSkipsTheExercises() {
        var diagnostics: [String] = []
        let result = TestRunner(servers: 5) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }.run(paths: [Self.scriptsFolder])
        let passing = Self.scripts.count
        #expect(result.passed == passing)
        #expect(result.failed == 0, "\(diagnostics.joined(separator: "\n"))")
        #expect(result.skipped == Self.exercises.count)
        #expect(result.exitStatus == 0)
        #expect(result.summary == "\(passing) passed, 0 failed, \(Self.exercises.count) skipped")
    }

    @Test(arguments: scripts + exercises)
    func scriptHasAHeaderCommentAndNarration(_ script: String) throws {
        let text = try String(contentsOfFile: (Self.scriptsFolder as NSString).appendingPathComponent(script), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let header = lines.drop { $0.hasPrefix("#!") }.prefix { $0.hasPrefix("#") }
        #expect(header.count >= 2, "a header comment saying what the script shows")
        #expect(header.contains { $0.contains("section") || $0.contains("Figure") }, "the header names the paper's section or figure")
        #expect(lines.contains { $0.lowercased().hasPrefix("echo ") }, "echo lines narrate")
        #expect(lines.contains { $0.lowercased().hasPrefix("expect ") }, "expect lines pin the steps")
    }
}
