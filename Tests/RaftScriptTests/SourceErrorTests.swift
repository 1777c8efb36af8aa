import Foundation
import Testing

@testable import RaftScript

/// A `source` that fails says where: the script and line of the `source`
/// (issue 22, item 6), in a file, under `raftsh test` and in a piped session.
@Suite(.timeLimit(.minutes(3)))
struct SourceErrorTests {
    func testRun(_ path: String) -> (TestRunner.Result, [String]) {
        var out: [String] = []
        let result = TestRunner(servers: 5) { output in
            if case .diagnostic(let diagnostic) = output { out.append(diagnostic.description) }
        }.run(paths: [path])
        return (result, out)
    }

    @Test func aMissingFileIsReportedAtTheSourceLine() {
        let folder = TemporaryFolder()
        let main = folder.write("main.raftscript", "echo hi\nsource /nonexistent\n")
        let (result, out) = testRun(main)
        #expect(out == ["\(main):2: error: /nonexistent: no such file"])
        #expect(result.exitStatus == 2)
    }

    @Test func aFolderIsReportedAtTheSourceLine() {
        let folder = TemporaryFolder()
        let main = folder.write("main.raftscript", "source \(folder.path)\n")
        #expect(testRun(main).1 == ["\(main):1: error: \(folder.path): is a folder, not a script"])
    }

    @Test func sourcingItselfTooDeepIsReportedAtTheInnermostSourceLine() {
        let folder = TemporaryFolder()
        let main = folder.write("loop.raftscript", "# again\nsource loop.raftscript\n")
        #expect(testRun(main).1 == ["\(main):2: error: loop.raftscript: scripts source each other more than 16 deep"])
    }

    @Test func aPipedSessionReportsItAtItsOwnLine() {
        var out: [String] = []
        var session = Session(interpreter: try! Interpreter(), mode: .script(name: "<stdin>")) { output in
            if case .diagnostic(let diagnostic) = output { out.append(diagnostic.description) }
        }
        var lines = ScriptedLines(["echo x", "source /nonexistent"])
        #expect(session.run(&lines) == 2)
        #expect(out == ["<stdin>:2: error: /nonexistent: no such file"])
    }
}
