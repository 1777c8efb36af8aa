import Foundation
import Testing

@testable import RaftScript

/// `raftsh test` on folders: unreadable ones are errors (issue 22, item 8), an
/// empty one is an error unless allowed, and --verbose lists every script
/// (issue 21, item 6).
@Suite(.timeLimit(.minutes(3)))
struct TestFolderTests {
    typealias E = EndToEndTests
    static let enabled = E.binary != nil
    static let asUser = getuid() != 0

    @Test(.enabled(if: enabled, "build the raftsh product first (swift build)"))
    func aFolderWithNoScriptIsAnErrorUnlessAllowed() throws {
        let folder = TemporaryFolder()
        folder.write("notes.txt", "not a script\n")
        let empty = try E.raftsh(["test", folder.path])
        #expect(empty.status == 2)
        #expect(empty.stdout == "error: no script to run in \(folder.path); --allow-empty accepts that\n0 passed, 0 failed, 0 skipped\n")
        let allowed = try E.raftsh(["test", "--allow-empty", folder.path])
        #expect(allowed.status == 0)
        #expect(allowed.stdout == "0 passed, 0 failed, 0 skipped\n")
        folder.write("a.exercise.raftscript", "expect s1 leader\n")
        #expect(try E.raftsh(["test", folder.path]).stdout.hasPrefix("error: no script to run in \(folder.path) (1 exercise skipped)"))
    }

    @Test(.enabled(if: enabled, "build the raftsh product first (swift build)"))
    func verboseListsEveryScriptWithItsResult() throws {
        let folder = TemporaryFolder()
        let good = folder.write("a.raftscript", "timeout s1\nsettle\nexpect s1 leader\n")
        let bad = folder.write("b.raftscript", "expect s1 leader\n")
        let broken = folder.write("c.raftscript", "frobnicate\n")
        let exercise = folder.write("d.exercise.raftscript", "expect s1 leader\n")
        let result = try E.raftsh(["test", "--verbose", folder.path])
        #expect(result.status == 2)
        #expect(result.stdout == """
            PASS  \(good)
            \(bad):1: expect failed: s1 is FOLLOWER, expected LEADER
            FAIL  \(bad)
            \(broken):1: error: unknown command `frobnicate` (try `help`)
            ERROR \(broken)
            SKIP  \(exercise) (an exercise)
            1 passed, 2 failed, 1 skipped

            """)
    }

    @Test(.enabled(if: enabled, "build the raftsh product first (swift build)"))
    func versionIsPrinted() throws {
        let result = try E.raftsh(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "raftsh 1.0 (RaftScript 1.1)\n")
    }

    /// Root reads every folder, so this needs an ordinary user.
    @Test(.enabled(if: asUser, "root can read a mode-000 folder"))
    func anUnreadableFolderIsAnError() throws {
        let folder = TemporaryFolder()
        folder.write("ok/a.raftscript", "echo a\n")
        folder.write("locked/b.raftscript", "echo b\n")
        #expect(chmod(folder.path + "/locked", 0) == 0)
        defer { chmod(folder.path + "/locked", 0o755) }
        var out: [String] = []
        let result = TestRunner(servers: 5) { output in
            if case .diagnostic(let diagnostic) = output { out.append(diagnostic.description) }
        }.run(paths: [folder.path])
        #expect(out == ["error: \(folder.path)/locked: cannot be read (permission denied)"])
        #expect(result.passed == 1)
        #expect(result.exitStatus == 2)
        let whole = TestRunner(servers: 5) { _ in }.run(paths: [folder.path + "/locked"])
        #expect(whole.exitStatus == 2)
    }

    @Test func theWalkFindsScriptsInSubfoldersAndLinksButDoesNotFollowFolderLinks() throws {
        let folder = TemporaryFolder()
        let deep = folder.write("x/y/deep.raftscript", "echo\n")
        let top = folder.write("top.raftscript", "echo\n")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/x/loop", withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.raftscript", withDestinationPath: top)
        let (scripts, problems) = TestRunner.scripts(under: folder.path)
        #expect(scripts == [folder.path + "/link.raftscript", top, deep].sorted())
        #expect(problems.isEmpty)
    }

    /// Named on the command line a FIFO is read (that is how scripts are piped),
    /// but met on a folder walk it is an error, not a wait for a writer.
    @Test func aFIFOFoundOnAWalkIsAnError() {
        let folder = TemporaryFolder()
        folder.write("a.raftscript", "echo\n")
        #expect(mkfifo(folder.path + "/pipe.raftscript", 0o600) == 0)
        let (scripts, problems) = TestRunner.scripts(under: folder.path)
        #expect(scripts == [folder.path + "/a.raftscript"])
        #expect(problems == ["\(folder.path)/pipe.raftscript: a FIFO, not a script file"])
    }
}
