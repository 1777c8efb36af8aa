import Foundation
import Testing

@testable import RaftScript

/// docs/language.md stays in step with `help`: every command of the catalogue
/// (the shell's own included) has its section there, with every usage form
/// that `help COMMAND` prints, and the reference documents no command raftsh lacks.
@Suite(.timeLimit(.minutes(3)))
struct LanguageReferenceTests {
    static let reference: String = {
        let path = (ScriptLibraryTests.root as NSString).appendingPathComponent(Help.referencePath)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    static let commands = CommandCatalog.commands + Session.commands

    /// The names of the `### \`name\`` headings: one per command.
    static var documentedCommands: [String] {
        reference.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("### `"), line.hasSuffix("`") else { return nil }
            return String(line.dropFirst(5).dropLast())
        }
    }

    @Test func theReferenceExists() {
        #expect(Self.reference.count > 10_000)
    }

    @Test(arguments: commands.map(\.name))
    func everyCommandHasItsSection(_ name: String) {
        #expect(Self.documentedCommands.contains(name), "docs/language.md has no section ### `\(name)`")
    }

    @Test(arguments: commands.map(\.name))
    func everyUsageFormIsInTheReference(_ name: String) throws {
        let info = try #require(Self.commands.first { $0.name == name })
        for usage in info.usage {
            #expect(Self.reference.contains("    \(usage)\n"), "docs/language.md does not show the usage `\(usage)`")
        }
    }

    @Test func theReferenceDocumentsNoCommandRaftshLacks() {
        let known = Set(Self.commands.map(\.name))
        let extra = Self.documentedCommands.filter { !known.contains($0) }
        #expect(extra.isEmpty, "documented but not in the catalogue: \(extra)")
    }

    @Test func helpAndTheReadmePointToTheReference() throws {
        #expect(try Help.text(for: nil).contains { $0.contains(Help.referencePath) })
        let readme = try String(contentsOfFile: (ScriptLibraryTests.root as NSString).appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("(\(Help.referencePath))"))
    }
}
