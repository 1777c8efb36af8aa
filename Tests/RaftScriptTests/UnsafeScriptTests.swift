import Foundation
import RaftCore
import Testing

@testable import RaftScript

/// The demonstrations under `scripts/unsafe/`: one `NAME.raftscript` per
/// unsafe variant. Each breaks its rule with `set unsafe NAME on`, pins every
/// step, and ends in an `expect not safe` that holds: the script passes.
/// Without the `set unsafe` line the same story cannot happen: some pinned step
/// fails earlier, and the cluster stays safe (the final `expect not safe` fails).
@Suite(.timeLimit(.minutes(3)))
struct UnsafeScriptTests {
    static let folder = (ScriptLibraryTests.scriptsFolder as NSString).appendingPathComponent("unsafe")

    static let variants = UnsafeVariant.allCases.map(\.rawValue)

    static func path(of variant: String) -> String {
        (folder as NSString).appendingPathComponent(variant + TestRunner.scriptSuffix)
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
        #expect(Set(present) == Set(Self.variants.map { $0 + TestRunner.scriptSuffix }))
    }

    @Test(arguments: variants)
    func theScriptBreaksItsRuleAndNothingElse(_ variant: String) throws {
        let text = try String(contentsOfFile: Self.path(of: variant), encoding: .utf8)
        let commands = Self.lines(text).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(commands.filter { $0.lowercased().hasPrefix("set unsafe") } == ["set unsafe \(variant) on"])
        #expect(commands.first == "set unsafe \(variant) on", "the rule is broken from a fresh cluster, before anything happens")
        #expect(commands.filter { $0.lowercased().hasSuffix("safe") }.count == 1, "one `expect not safe`, at the end")
        #expect(!commands.contains { $0.lowercased().hasPrefix("cluster") }, "the default fresh cluster")
        let last = try #require(Self.lastCommandLine(text))
        #expect(last.text == "expect not safe")
        let afterwards = Self.lines(text).dropFirst(last.number)
        #expect(afterwards.contains { $0.hasPrefix("# expect safe would report: not safe:") }, "a last comment says what `expect safe` would report")
    }

    @Test(arguments: variants)
    func everyExpectationHoldsAndTheEndIsUnsafe(_ variant: String) throws {
        let path = Self.path(of: variant)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let outcome = try Self.run(text, named: path)
        #expect(outcome.summary.exitStatus == 0, "\(outcome.report)")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.report)")
    }

    /// The last comment quotes what `expect safe` reports in place of the final
    /// `expect not safe`, and that `expect safe` is the run's only failure.
    @Test(arguments: variants)
    func theLastCommentQuotesWhatExpectSafeReports(_ variant: String) throws {
        let path = Self.path(of: variant)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let last = try #require(Self.lastCommandLine(text))
        var lines = Self.lines(text)
        lines[last.number - 1] = "expect safe"
        let outcome = try Self.run(lines.joined(separator: "\n"), named: path)
        #expect(!outcome.summary.errored, "\(outcome.report)")
        #expect(outcome.diagnostics.count == 1, "\(outcome.report)")
        let failure = try #require(outcome.diagnostics.first)
        #expect(failure.kind == .expectFailed)
        #expect(failure.location == SourceLocation(file: path, line: last.number))
        #expect(failure.description.contains("expect failed: not safe:"), "\(failure)")
        let quoted = lines.dropFirst(last.number).filter { !$0.isEmpty }
            .map { $0.hasPrefix("#") ? String($0.dropFirst()).trimmingCharacters(in: .whitespaces) : $0 }
            .joined(separator: " ")
        #expect(quoted == "expect safe would report: \(failure.message)")
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
        // The script runs to its end, and the cluster is safe there...
        #expect(!outcome.summary.errored, "\(outcome.report)")
        let final = outcome.diagnostics.filter { $0.location?.line == last.number }
        #expect(final.map(\.message) == ["safe: every safety property of Figure 3 holds, expected not safe"], "\(outcome.report)")
        // ...because a pinned step before it no longer happens: the broken rule
        // is what the story needs.
        #expect(outcome.summary.failedExpectations > 1, "every step held without `set unsafe \(variant) on`")
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

    /// A version 1 demonstration, named `.fails` and ending in `expect safe`,
    /// still passes `raftsh test` as before.
    @Test func theOldFailsFormStillPasses() throws {
        let text = try String(contentsOfFile: Self.path(of: "vote-twice"), encoding: .utf8)
        let last = try #require(Self.lastCommandLine(text))
        var lines = Self.lines(text)
        lines[last.number - 1] = "expect safe"
        let folder = TemporaryFolder()
        folder.write("vote-twice" + TestRunner.mustFailSuffix, lines.joined(separator: "\n"))
        var diagnostics: [String] = []
        let result = TestRunner(servers: 5) { output in
            if case .diagnostic(let diagnostic) = output { diagnostics.append(diagnostic.description) }
        }.run(paths: [folder.path])
        #expect(result.summary == "1 passed, 0 failed, 0 skipped")
        #expect(result.exitStatus == 0)
        #expect(diagnostics.isEmpty, "\(diagnostics.joined(separator: "\n"))")
    }
}
