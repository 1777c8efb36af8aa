import Foundation
import Testing

/// What a script that fills the network costs in memory, measured on the built
/// `raftsh`: ten timeouts of every server of a 200-server cluster put 398 000
/// RequestVotes in flight at once. About 3 s alone; the limit is the other
/// end-to-end suites', as the whole test run shares the cores.
@Suite(.timeLimit(.minutes(3)))
struct LargeScriptMemoryTests {
    /// The peak resident memory of `raftsh run` on a script, in bytes, read by a
    /// Python parent from its own children's resource usage: this test process's
    /// would include every other test's children.
    static func peakResident(running script: String) throws -> Int {
        guard let binary = EndToEndTests.binary, let python = NodeFixture.python else { throw CancellationError() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("raftsh-memory-\(UUID().uuidString).raftscript")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let measure = """
            import resource, subprocess, sys
            status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
            print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", measure, binary, "run", file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(fields.count == 2 && fields[0] == 0, "raftsh failed: \(text)")
        return fields[1] * 1024
    }

    /// A message in flight costs about one 96-byte slot. Slots of 128 bytes cost
    /// 127 bytes a message on this script, and a ring that doubled by copying
    /// itself into a fresh, fully written one 249 (ten times as many messages then
    /// peaked at 3.2 GB).
    @Test(.enabled(if: EndToEndTests.binary != nil && NodeFixture.python != nil, "needs the built raftsh and python3"))
    func aMessageInFlightCostsAboutOneSlot() throws {
        let servers = 200, rounds = 10, messages = rounds * servers * (servers - 1)
        let everyone = (1...servers).map { "s\($0)" }.joined(separator: " ")
        let empty = try Self.peakResident(running: "cluster \(servers)\nexpect pending 0\n")
        let full = try Self.peakResident(
            running: "cluster \(servers)\n" + String(repeating: "timeout \(everyone)\n", count: rounds) + "expect pending \(messages)\n"
        )
        let perMessage = (full - empty) / messages
        #expect(perMessage <= 120, "\(perMessage) bytes a message in flight")
    }
}
