import Foundation
import RaftCore
import Testing

@testable import RaftScript

/// The demonstrations under `scripts/unsafe/`: one `NAME.fails.raftscript` per
/// unsafe variant. Each breaks its rule with `set unsafe NAME on`, pins every
/// step, and ends in an `expect safe` that fails, the only failure of the run.
/// Without the `set unsafe` line the same story cannot happen: some pinned step
/// fails earlier, and the final `expect safe` holds.
@Suite(.timeLimit(.minutes(1)))
struct UnsafeScriptTests {
    static let folder = (ScriptLibraryTests.scriptsFolder as NSString).appendingPathComponent("unsafe")

    static let variants = UnsafeVariant.allCases.map(\.rawValue)

    static func path(of variant: String) -> String {
        (folder as NSString).appendingPathComponent(variant + TestRunner.mustFailSuffix)
    }

    struct Outcome {
        var summary: ScriptRunner.Summary
        var diagnostics: [Diagnostic]

        var report: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Runs script text in a fresh five-server cluster, as `raftsh test` does.
    static func run(_ text: String, named file: String) throws -> Outcome {
        var diagnostics: [Diagnostic] = []
        var runner = ScriptRunner(interpreter: try Interpreter(servers: 5, trace: false)) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic) }
        }
        let summary = runner.run(script: text, named: file)
        return Outcome(summary: summary, diagnostics: diagnostics)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The 1-based number of the last line that is a command (not blank, not a comment).
    static func lastCommandLine(_ text: String) -> (number: Int, text: String)? {
        let all = lines(text)
        guard let index = all.lastIndex(where: { !$0.isEmpty && !$0.hasPrefix("#") }) else { return nil }
        return (index + 1, all[index])
    }

    @Test func everyVariantHasADemonstrationAndNothingElseIsThere() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(TestRunner.scriptSuffix) }
        #expect(Set(present) == Set(Self.variants.map { $0 + TestRunner.mustFailSuffix }))
    }

    @Test(arguments: variants)
    func theScriptBreaksItsRuleAndNothingElse(_ variant: String) throws {
        let text = try String(contentsOfFile: Self.path(of: variant), encoding: .utf8)
        let commands = Self.lines(text).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(commands.filter { $0.lowercased().hasPrefix("set unsafe") } == ["set unsafe \(variant) on"])
        #expect(commands.first == "set unsafe \(variant) on", "the rule is broken from a fresh cluster, before anything happens")
        #expect(commands.filter { $0.lowercased() == "expect safe" }.count == 1, "one `expect safe`, at the end")
        #expect(!commands.contains { $0.lowercased().hasPrefix("cluster") }, "the default fresh cluster")
        let last = try #require(Self.lastCommandLine(text))
        #expect(last.text == "expect safe")
        let afterwards = Self.lines(text).dropFirst(last.number)
        #expect(afterwards.contains { $0.hasPrefix("# expect safe reports: not safe:") }, "a last comment says what `expect safe` reports")
    }

    @Test(arguments: variants)
    func onlyTheFinalExpectSafeFails(_ variant: String) throws {
        let path = Self.path(of: variant)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let last = try #require(Self.lastCommandLine(text))
        let outcome = try Self.run(text, named: path)
        #expect(!outcome.summary.errored, "\(outcome.report)")
        #expect(outcome.summary.failedExpectations == 1, "\(outcome.report)")
        #expect(outcome.diagnostics.count == 1, "\(outcome.report)")
        let failure = try #require(outcome.diagnostics.first)
        #expect(failure.kind == .expectFailed)
        #expect(failure.location == SourceLocation(file: path, line: last.number))
        #expect(failure.description.contains("expect failed: not safe:"), "\(failure)")
        // The last comment quotes what `expect safe` reports.
        let quoted = Self.lines(text).dropFirst(last.number).filter { !$0.isEmpty }
            .map { $0.hasPrefix("#") ? String($0.dropFirst()).trimmingCharacters(in: .whitespaces) : $0 }
            .joined(separator: " ")
        #expect(quoted == "expect safe reports: \(failure.message)")
    }

    @Test(arguments: variants)
    func withTheRuleKeptTheStoryStopsAndTheClusterStaysSafe(_ variant: String) throws {
        let path = Self.path(of: variant)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let last = try #require(Self.lastCommandLine(text))
        // Blank out the `set unsafe` line, keeping the line numbers.
        let safe = Self.lines(text).map { $0 == "set unsafe \(variant) on" ? "" : $0 }.joined(separator: "\n")
        #expect(safe != text.trimmingCharacters(in: .newlines))
        let outcome = try Self.run(safe, named: path)
        // The script runs to its end, and its final `expect safe` holds...
        #expect(!outcome.summary.errored, "\(outcome.report)")
        #expect(!outcome.diagnostics.contains { $0.message.hasPrefix("not safe:") }, "\(outcome.report)")
        #expect(!outcome.diagnostics.contains { $0.location?.line == last.number }, "\(outcome.report)")
        // ...because a pinned step before it no longer happens: the broken rule
        // is what the story needs.
        #expect(outcome.summary.failedExpectations > 0, "every step held without `set unsafe \(variant) on`")
        #expect(outcome.diagnostics.allSatisfy { ($0.location?.line ?? .max) < last.number }, "\(outcome.report)")
    }

    @Test func raftshTestCountsTheDemonstrationsAsPassing() {
        var diagnostics: [String] = []
        let result = TestRunner(servers: 5) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }.run(paths: [Self.folder])
        #expect(result.passed == Self.variants.count)
        #expect(result.failed == 0)
        #expect(result.exitStatus == 0)
        #expect(diagnostics.isEmpty, "\(diagnostics.joined(separator: "\n"))")
    }
}
