import Testing

@testable import RaftScript

/// `cluster NAME…` refuses words of the language and says which characters a
/// name may use (issue 22, items 7 and 10); shell commands in a script say
/// what they are (issue 21, item 7).
@Suite(.timeLimit(.minutes(3)))
struct ServerNameTests {
    @Test(arguments: [
        ("no", "`expect no leader`"), ("safe", "`expect safe`"), ("pending", "`expect pending N`"),
        ("leaders", "`expect leaders N`"), ("not", "`expect not …`"), ("error", "`expect error …`"),
        ("Leader", "`leader` is the current leader"), ("up", "`expect S up`"), ("seed", "`set seed …`"),
    ])
    func aWordOfTheLanguageCannotNameAServer(_ word: String, _ use: String) {
        #expect(throws: ParseError("`\(word)` cannot name a server: `\(word.lowercased())` is a word of RaftScript (\(use))", column: 11)) {
            try Parser.parse("cluster x \(word) y")
        }
    }

    @Test(arguments: ["timeout", "show", "undo", "quit"])
    func aCommandCannotNameAServer(_ word: String) {
        #expect(throws: ParseError("`\(word)` cannot name a server: `\(word)` is a command", column: 9)) { try Parser.parse("cluster \(word) x") }
    }

    @Test(arguments: ["é", "s1é", "1s", "_a", "a/b"])
    func theMessageSaysWhichCharactersANameMayUse(_ name: String) {
        #expect(throws: ParseError("`\(name)` cannot name a server: a name is an ASCII letter (a-z, A-Z), then ASCII letters, digits, `_`, `-` or `.`", column: 9)) {
            try Parser.parse("cluster \(name)")
        }
    }

    @Test func ordinaryNamesAreAccepted() throws {
        #expect(try Parser.parse("cluster alpha beta-2 g.3 N_4") == .clusterNamed(["alpha", "beta-2", "g.3", "N_4"]))
    }

    @Test(arguments: ["undo", "save x.raftscript", "save! x.raftscript", "quit", "EXIT"])
    func aShellCommandInAScriptSaysItIsOne(_ line: String) {
        let run = Run("echo a\n\(line)\n")
        let word = line.split(separator: " ")[0].lowercased()
        #expect(run.diagnostics == ["t.raftscript:2: error: `\(word)` is a shell command: it works at the raftsh prompt and on piped standard input, not in a script file or a sourced one"])
        #expect(run.summary.exitStatus == 2)
    }
}
