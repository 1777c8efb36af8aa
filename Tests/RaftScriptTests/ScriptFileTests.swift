import Foundation
import Testing

@testable import RaftScript

/// Scripts from files: `source`, missing files, and `raftsh test`'s counting.
@Suite(.timeLimit(.minutes(3)))
struct ScriptFileTests {
    func collect(_ body: (@escaping (ScriptRunner.Output) -> Void) -> Void) -> [String] {
        var out: [String] = []
        body { output in
            switch output {
            case .line(let line): out.append(line)
            case .diagnostic(let diagnostic): out.append(diagnostic.description)
            }
        }
        return out
    }

    @Test func sourceRunsAScriptRelativeToTheIncludingOne() throws {
        let folder = TemporaryFolder()
        folder.write("lib/elect.raftscript", "timeout s1\nsettle\n")
        let main = folder.write("lib/main.raftscript", "source elect.raftscript\nexpect s1 leader\nexpect s2 leader\n")
        var summary = ScriptRunner.Summary()
        let out = collect { sink in
            var runner = ScriptRunner(interpreter: try! Interpreter(), sink: sink)
            summary = runner.run(file: main)
        }
        #expect(out == ["\(main):3: expect failed: s2 is FOLLOWER, expected LEADER"])
        #expect(summary.exitStatus == 1)
    }

    @Test func anErrorInASourcedScriptStopsItAndIsReportedWhereItHappened() throws {
        let folder = TemporaryFolder()
        let inner = folder.write("inner.raftscript", "echo in\nbogus\necho never\n")
        let main = folder.write("main.raftscript", "source inner.raftscript\necho never either\n")
        var summary = ScriptRunner.Summary()
        let out = collect { sink in
            var runner = ScriptRunner(interpreter: try! Interpreter(), sink: sink)
            summary = runner.run(file: main)
        }
        #expect(out == ["in", "\(inner):2: error: unknown command `bogus` (try `help`)"])
        #expect(summary.exitStatus == 2)
    }

    @Test func aScriptSourcingItselfStopsWithAnError() {
        let folder = TemporaryFolder()
        let loop = folder.write("loop.raftscript", "source loop.raftscript\n")
        let out = collect { sink in
            var runner = ScriptRunner(interpreter: try! Interpreter(), sink: sink)
            #expect(runner.run(file: loop).exitStatus == 2)
        }
        #expect(out.count == 1)
        #expect(out[0].hasSuffix("scripts source each other more than 16 deep"))
    }

    @Test func aMissingFileIsAnError() {
        let out = collect { sink in
            var runner = ScriptRunner(interpreter: try! Interpreter(), sink: sink)
            #expect(runner.run(file: "/nonexistent/x.raftscript").exitStatus == 2)
        }
        #expect(out == ["error: /nonexistent/x.raftscript: no such file"])
    }

    @Test func testRunnerCountsAndSkipsExercisesInFolders() {
        let folder = TemporaryFolder()
        folder.write("a/pass.raftscript", "timeout s1\nsettle\nexpect s1 leader\n")
        let failing = folder.write("a/b/fail.raftscript", "expect s1 leader\n")
        let exercise = folder.write("a/todo.exercise.raftscript", "expect s1 leader\n")
        folder.write("a/notes.txt", "not a script")
        var result = TestRunner.Result()
        let out = collect { sink in
            result = TestRunner(servers: 5, sink: sink).run(paths: [folder.path])
        }
        #expect(out == ["\(failing):1: expect failed: s1 is FOLLOWER, expected LEADER"])
        #expect(result.summary == "1 passed, 1 failed, 1 skipped")
        #expect(result.exitStatus == 1)

        let named = TestRunner(servers: 5, sink: { _ in }).run(paths: [exercise])
        #expect(named.summary == "0 passed, 1 failed")
    }

    @Test func testRunnerReportsErrorsAndMissingPathsWithStatus2() {
        let folder = TemporaryFolder()
        let broken = folder.write("broken.raftscript", "timeout s1\ncrash s7\n")
        var result = TestRunner.Result()
        let out = collect { sink in
            result = TestRunner(servers: 3, sink: sink).run(paths: [broken, folder.path + "/missing"])
        }
        #expect(out == [
            "\(broken):2: error: unknown server `s7` (the servers are s1 s2 s3)",
            "error: \(folder.path)/missing: no such file or folder",
        ])
        #expect(result.summary == "0 passed, 2 failed")
        #expect(result.exitStatus == 2)
    }

    @Test func aFailsScriptPassesOnlyWhenAnExpectationFails() {
        let folder = TemporaryFolder()
        folder.write("u/breaks.fails.raftscript", "set s1 log 1:a\nset s1 commit 1\nset s2 log 1:b\nexpect safe\n")
        let holds = folder.write("u/holds.fails.raftscript", "expect safe\n")
        let errs = folder.write("u/errs.fails.raftscript", "expect safe\nbogus\n")
        var result = TestRunner.Result()
        let out = collect { sink in
            result = TestRunner(servers: 5, sink: sink).run(paths: [folder.path + "/u"])
        }
        #expect(out == [
            "\(errs):2: error: unknown command `bogus` (try `help`)",
            "expect failed: \(holds): every expectation held, but a .fails script must break one",
        ])
        #expect(result.summary == "1 passed, 2 failed, 0 skipped")
        #expect(result.exitStatus == 2)
    }
}
