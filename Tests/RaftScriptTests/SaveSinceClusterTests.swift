import Foundation
import Testing

@testable import RaftScript

/// `save` writes what rebuilds the state and nothing else: the commands since
/// the last `cluster` (with the options set before it), without the commands
/// that changed nothing, which are no steps for `undo` either.
@Suite(.timeLimit(.minutes(3)))
struct SaveSinceClusterTests {
    private struct Shell {
        var lines: [String] = []
        var session: Session

        init(_ input: [String]) throws {
            var printed: [String] = []
            session = Session(interpreter: try Interpreter(), mode: .interactive) { output in
                switch output {
                case .line(let line): printed.append(line)
                case .diagnostic(let diagnostic): printed.append(diagnostic.description)
                }
            }
            var source = ScriptedLines(input)
            _ = session.run(&source)
            lines = printed
        }
    }

    private func saved(_ input: [String]) throws -> (commands: [String], shell: Shell, file: String, folder: TemporaryFolder) {
        let folder = TemporaryFolder()
        let file = (folder.path as NSString).appendingPathComponent("saved.raftscript")
        let shell = try Shell(input + ["save \(file)"])
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return (text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }, shell, file, folder)
    }

    @Test func saveStartsAtTheLastClusterKeepingTheOptionsSetBeforeIt() throws {
        let run = try saved([
            "timeout s1", "settle", "set election-timeout 5 9", "set seed 4", "cluster 3", "set noop on",
            "tick until leader", "submit leader a", "tick 3",
        ])
        #expect(run.commands == [
            "cluster 3", "set election-timeout 5 9", "set seed 4", "set noop on", "tick until leader", "submit leader a", "tick 3",
        ])
        #expect(run.shell.lines.last == "saved 6 commands to \(run.file)")
        var fresh = ScriptRunner(interpreter: try Interpreter()) { _ in }
        #expect(fresh.run(file: run.file).exitStatus == 0)
        #expect(fresh.interpreter.cluster == run.shell.session.interpreter.cluster)
    }

    @Test func commandsThatChangedNothingAreNotSaved() throws {
        let run = try saved(["timeout s1", "settle", "submit s2 x", "deliver all", "settle", "heal", "set noop off", "submit s1 y"])
        #expect(run.commands == ["cluster 5", "timeout s1", "settle", "submit s1 y"])
        #expect(run.shell.lines.contains("s2 is not LEADER: request ignored; the leader is s1"))
    }

    @Test func commandsThatChangedNothingAreNoStepsToUndo() throws {
        let shell = try Shell(["timeout s1", "settle", "submit s2 x", "deliver all", "drop all", "heal", "undo"])
        #expect(shell.lines.suffix(1) == ["undone: settle"])
        #expect(shell.session.undoable == ["timeout s1"])
    }
}
