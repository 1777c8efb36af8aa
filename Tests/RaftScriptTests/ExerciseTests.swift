import Foundation
import Testing

@testable import RaftScript

/// `exercise FILE` sets an exercise's scene and leaves the student at its gap;
/// `check` runs the rest on a copy and says which expectations hold, and that
/// the answer used no forbidden command.
@Suite(.timeLimit(.minutes(3)))
struct ExerciseTests {
    /// A session in script mode (for its exit status) fed with lines.
    private struct Worked {
        var lines: [String] = []
        var diagnostics: [String] = []
        var status: Int32
        var session: Session

        init(_ input: [String]) throws {
            var printed: [String] = []
            var reported: [String] = []
            session = Session(interpreter: try Interpreter(), mode: .script(name: "<stdin>")) { output in
                switch output {
                case .line(let line): printed.append(line)
                case .diagnostic(let diagnostic): reported.append(diagnostic.description)
                }
            }
            var source = ScriptedLines(input)
            status = session.run(&source)
            lines = printed
            diagnostics = reported
        }
    }

    private static func commands(in text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// A solution's answer: its lines without the exercise's scene before them
    /// and its checks after them.
    private static func answer(to exercise: String) throws -> [String] {
        let text = try String(contentsOfFile: exercise, encoding: .utf8)
        let parsed = try Session.Exercise.parse(text, path: exercise)
        let scene = commands(in: parsed.lines[..<parsed.gap].joined(separator: "\n"))
        let checks = commands(in: parsed.lines[(parsed.gap + 1)...].joined(separator: "\n"))
        let name = ((exercise as NSString).lastPathComponent as NSString).deletingPathExtension.replacingOccurrences(of: ".exercise", with: "")
        var solution = commands(in: try String(contentsOfFile: (ScriptLibraryTests.solutionsFolder as NSString).appendingPathComponent(name + ".raftscript"), encoding: .utf8))
        if solution.starts(with: scene) { solution.removeFirst(scene.count) }
        if solution.suffix(checks.count) == ArraySlice(checks) { solution.removeLast(checks.count) }
        return solution
    }

    static let exercises = ScriptLibraryTests.exercises.map { (ScriptLibraryTests.scriptsFolder as NSString).appendingPathComponent($0) }

    @Test(arguments: exercises)
    func eachSolutionChecksAsSolved(_ exercise: String) throws {
        let run = try Worked(["exercise \(exercise)"] + Self.answer(to: exercise) + ["check"])
        #expect(run.diagnostics == [])
        #expect(run.lines.last?.hasPrefix("check: solved, all ") == true, "\(run.lines.suffix(5))")
        #expect(!run.lines.contains { $0.hasPrefix("✗") })
        #expect(run.status == 0)
    }

    @Test(arguments: exercises)
    func theSceneAloneIsNotASolution(_ exercise: String) throws {
        let run = try Worked(["exercise \(exercise)", "check"])
        #expect(run.lines.last?.hasPrefix("check: not yet, ") == true)
        #expect(run.lines.contains { $0.hasPrefix("✗ expect ") })
        #expect(run.status == 1)
    }

    @Test func theSceneIsSetUpToTheGapAndCheckChangesNothing() throws {
        let folder = TemporaryFolder()
        let file = folder.write("e.exercise.raftscript", "timeout s1\ndeliver s1->*\n# your commands here\ndeliver *->s1\nexpect s1 leader\nexpect s2 voted s1\n")
        let run = try Worked(["exercise \(file)", "show", "check", "expect s1 candidate", "expect pending 4"])
        #expect(run.diagnostics == [])
        #expect(run.lines.suffix(3) == ["✓ expect s1 leader", "✓ expect s2 voted s1", "check: solved, all 2 expectations hold"])
        #expect(run.status == 0)
    }

    @Test func aFailedExpectationSaysWhatItFound() throws {
        let folder = TemporaryFolder()
        let file = folder.write("e.exercise.raftscript", "# your commands here\necho Checking.\nexpect s1 leader\nexpect s1 term 0\n")
        let run = try Worked(["exercise \(file)", "timeout s1", "check"])
        #expect(run.lines.suffix(4) == [
            "Checking.",
            "✗ expect s1 leader   (line 3: s1 is CANDIDATE, expected LEADER)",
            "✗ expect s1 term 0   (line 4: s1 term is 1, expected 0)",
            "check: not yet, 2 of 2 fail",
        ])
    }

    @Test func aForbiddenCommandMakesTheAnswerWrongUntilUndone() throws {
        let folder = TemporaryFolder()
        let file = folder.write("e.exercise.raftscript", "# Elect s1.\n# forbid: settle, set\ncluster 3\n# your commands here\nexpect s1 leader\n")
        let cheat = try Worked(["exercise \(file)", "timeout s1", "settle", "check"])
        #expect(cheat.lines.contains("✗ you used `settle` (`settle`), which this exercise forbids"))
        #expect(cheat.lines.contains("✓ expect s1 leader"))
        #expect(cheat.lines.last == "check: not yet, 1 of 2 fails")
        #expect(cheat.status == 1)
        let undone = try Worked(["exercise \(file)", "timeout s1", "settle", "undo", "deliver s1->*", "deliver *->s1", "check"])
        #expect(undone.lines.last == "check: solved, the 1 expectation holds")
        let sourced = folder.write("cheat.raftscript", "timeout s1\nset s2 term 5\n")
        let viaSource = try Worked(["exercise \(file)", "source \(sourced)", "check"])
        #expect(viaSource.lines.contains("✗ you used `set` (`set s2 term 5`), which this exercise forbids"))
    }

    @Test func theFigure8cExerciseForbidsSet() throws {
        let exercise = (ScriptLibraryTests.exercisesFolder as NSString).appendingPathComponent("figure8c.exercise.raftscript")
        let run = try Worked(["exercise \(exercise)", "set s1 log 1 2 4", "check"])
        #expect(run.lines.contains("✗ you used `set` (`set s1 log 1 2 4`), which this exercise forbids"))
    }

    @Test func badExercisesAreOneClearError() throws {
        let folder = TemporaryFolder()
        let plain = folder.write("plain.raftscript", "timeout s1\n")
        #expect(try Worked(["exercise \(plain)"]).diagnostics == [
            "<stdin>:1: error: \(plain) has no line `# your commands here`, so it is not an exercise (`source` runs a script)",
        ])
        let badForbid = folder.write("bad.exercise.raftscript", "# forbid: teleport\n# your commands here\n")
        let bad = try Worked(["exercise \(badForbid)"])
        #expect(bad.diagnostics == ["<stdin>:1: error: \(badForbid):1: `# forbid:` names `teleport`, which is not a command"])
        #expect(bad.status == 2)
        #expect(try Worked(["check"]).diagnostics == ["<stdin>:1: error: no exercise to check: start one with `exercise FILE`"])
        #expect(try Worked(["exercise \(folder.path)/missing.raftscript"]).status == 2)
    }

    @Test func undoingTheSceneIsSaid() throws {
        let folder = TemporaryFolder()
        let file = folder.write("e.exercise.raftscript", "timeout s1\n# your commands here\nexpect s1 candidate\n")
        let run = try Worked(["exercise \(file)", "undo", "check"])
        #expect(run.diagnostics == ["<stdin>:3: error: the exercise's scene was undone; `exercise \(file)` sets it again"])
    }
}
