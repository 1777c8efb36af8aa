import Foundation
import Testing

/// `raftsh chart` and the counterexample charts, run as the built binary.
@Suite("raftsh chart", .timeLimit(.minutes(3)))
struct ChartCommandTests {
    static var binary: String? {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [products, Bundle.main.bundleURL] {
            let path = candidate.appendingPathComponent("raftsh").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func raftsh(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let binary else { throw CancellationError() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("raftsh-chart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func chartWritesAPageNextToTheScriptAndExitsAsTheScript() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.raftscript"
        try "timeout s1\nsettle\nexpect s2 leader\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Self.raftsh(["chart", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("expect failed"))
        #expect(result.stdout.contains("wrote \(dir)/run.html"))
        #expect(try String(contentsOfFile: dir + "/run.html", encoding: .utf8).contains("expect failed"))

        let svg = try Self.raftsh(["chart", path, "-o", dir + "/run.svg"])
        #expect(svg.status == 1)
        #expect(ParsedSVG(try String(contentsOfFile: dir + "/run.svg", encoding: .utf8)) != nil)

        let wrongKind = try Self.raftsh(["chart", path, "-o", dir + "/run.png"])
        #expect(wrongKind.status == 2)
        #expect(wrongKind.stderr.contains(".svg (a picture) or .html"))
        let missing = try Self.raftsh(["chart", dir + "/none.raftscript"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/none.html"))
    }

    @Test(.enabled(if: binary != nil, "build the raftsh product first (swift build)"))
    func counterexamplesComeWithTheirPage() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let simulated = try Self.raftsh(["simulate", "--unsafe", "vote-twice", "--runs", "20", "--jobs", "1", "--output", dir + "/sim.raftscript"])
        #expect(simulated.status == 1)
        #expect(simulated.stdout.contains("wrote \(dir)/sim.html"))
        let explored = try Self.raftsh(["explore", "--servers", "3", "--unsafe", "vote-twice", "--output", dir + "/exp.raftscript"])
        #expect(explored.status == 1)
        #expect(explored.stdout.contains("wrote \(dir)/exp.html"))
        for page in ["sim.html", "exp.html"] {
            let text = try String(contentsOfFile: dir + "/" + page, encoding: .utf8)
            #expect(text.contains("not safe: Election Safety"))
        }
    }
}
