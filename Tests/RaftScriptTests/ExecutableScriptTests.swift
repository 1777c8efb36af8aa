import Foundation
import Testing

/// Every shipped script runs by its name once `raftsh` is on PATH (README, "Put
/// raftsh on your PATH"): it starts with `#!/usr/bin/env raftsh` and is executable.
@Suite(.timeLimit(.minutes(3)))
struct ExecutableScriptTests {
    static let scripts = ScriptLibraryTests.files(under: ScriptLibraryTests.scriptsFolder)

    @Test func thereAreScripts() {
        #expect(Self.scripts.count > 20)
    }

    @Test(arguments: scripts)
    func runsByItsName(_ relative: String) throws {
        let path = (ScriptLibraryTests.scriptsFolder as NSString).appendingPathComponent(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("#!/usr/bin/env raftsh\n"))
        #expect(FileManager.default.isExecutableFile(atPath: path), "chmod +x \(relative)")
    }
}
