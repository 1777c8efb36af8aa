import Testing

@testable import RaftScript

/// `help` and `show net` wrap at the terminal's width on word boundaries.
@Suite(.timeLimit(.minutes(3)))
struct WrapTests {
    private func words(_ lines: [String]) -> [Substring] {
        lines.joined(separator: " ").split(separator: " ")
    }

    @Test func wrapBreaksAtSpacesAndIndentsWhatFollows() {
        #expect(Render.wrap("one two three four", width: 9, indent: 2) == ["one two", "  three", "  four"])
        #expect(Render.wrap("short", width: 9) == ["short"])
        #expect(Render.wrap("a verylongword b", width: 5) == ["a", "verylongword", "b"])
        #expect(Render.wrap("anything at all", width: nil) == ["anything at all"])
    }

    @Test(arguments: [nil, "deliver", "set", "tick", "expect", "exercise"])
    func helpFitsTheWidthWithoutBreakingWords(_ topic: String?) throws {
        let wide = try Help.text(for: topic, extra: Session.commands)
        for width in [40, 60, 80] {
            let narrow = try Help.text(for: topic, extra: Session.commands, width: width)
            #expect(narrow.allSatisfy { $0.count <= width || !$0.trimmingCharacters(in: .whitespaces).contains(" ") })
            #expect(words(narrow) == words(wide))
        }
    }

    @Test func helpSummariesWrapUnderTheirColumn() throws {
        let lines = try Help.text(for: nil, extra: Session.commands, width: 50)
        let deliver = try #require(lines.firstIndex { $0.hasPrefix("  deliver ") })
        let column = lines[deliver].dropFirst(2).drop(while: { $0 != " " }).prefix(while: { $0 == " " }).count + 2 + "deliver".count
        #expect(lines[deliver + 1].prefix(column).allSatisfy { $0 == " " })
        #expect(lines[deliver + 1].dropFirst(column).first != " ")
    }

    @Test func showNetWrapsEachMessageUnderItsColumn() {
        let run = Run("timeout s1\nsettle\nsubmit s1 a\nsubmit s1 b\nset seed 1\nshow net")
        var interpreter = run.interpreter
        interpreter.settings.width = 60
        let lines = (try? interpreter.run(.show(.net)).lines) ?? []
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(lines[0].hasPrefix("1.  s1->s2  AppendEntries(term 1, leader s1,"))
        #expect(lines[1].hasPrefix(String(repeating: " ", count: 12)))
        #expect(lines[1].dropFirst(12).first != " ")
        interpreter.settings.width = nil
        #expect(words(lines) == words((try? interpreter.run(.show(.net)).lines) ?? []))
    }

    @Test func theSessionAsksTheWidthBeforeEachLine() throws {
        var printed: [String] = []
        var session = Session(interpreter: try Interpreter(), mode: .interactive) { output in
            if case .line(let line) = output { printed.append(line) }
        }
        session.terminalWidth = { 30 }
        var source = ScriptedLines(["help timeout"])
        _ = session.run(&source)
        #expect(printed.count > 4)
        #expect(printed.allSatisfy { $0.count <= 30 })
    }
}

/// The completion fixes from a first hour at the prompt: `save <TAB>` on a
/// folder, `deliver s5<TAB>` and `deliver s5-<TAB>`.
@Suite(.timeLimit(.minutes(3)))
struct CompletionFixTests {
    let completer = Completer(
        servers: ["s1", "s2", "s5", "s10"],
        listFiles: { folder in
            folder.isEmpty ? [FileEntry(name: "Sources", isDirectory: true), FileEntry(name: "scripts", isDirectory: true), FileEntry(name: "saved.raftscript", isDirectory: false)] : []
        }
    )

    func complete(_ line: String) -> Completion {
        completer.complete(line, cursor: line.utf8.count)
    }

    @Test func aSingleFolderIsHandedToReadlineWithoutItsSlash() {
        let save = complete("save S")
        #expect(save.candidates == ["Sources/"])
        #expect(save.readlineMatches == ["Sources"])  // readline adds the `/` to a folder
        #expect(complete("save sa").readlineMatches == ["saved.raftscript"])
        #expect(complete("save s").readlineMatches == ["s", "saved.raftscript", "scripts"])
        #expect(complete("exercise sc").readlineMatches == ["scripts"])
    }

    @Test func aFullSenderBecomesAnArrowWithNoSpace() {
        let deliver = complete("deliver s5")
        #expect(deliver.candidates == ["s5->"])
        #expect(!deliver.appendsSpace)
        #expect(deliver.readlineMatches == ["s5->"])
        #expect(complete("drop *").candidates == ["*->"])
        #expect(complete("duplicate s2").candidates == ["s2->"])
        #expect(complete("expect pending s5").candidates == ["s5->"])
        #expect(complete("deliver s1").candidates == ["s1", "s10"])  // not yet one server
        #expect(complete("timeout s5").appendsSpace)
    }

    @Test func aSenderAndADashOffersTheArrow() {
        #expect(complete("deliver s5-").candidates == ["s5->"])
        #expect(complete("deliver leader-").candidates == ["leader->"])
        #expect(complete("deliver s9-").candidates == [])
        #expect(complete("deliver s5->").candidates == ["leader", "*", "s1", "s2", "s10"])
    }
}
