import Foundation

/// `exercise FILE` and `check`: a student works an exercise at the prompt.
///
/// An exercise is a script with a gap, the line `# your commands here`. The
/// lines before the gap set the scene; the lines after it check the student's
/// answer. `exercise` runs the scene and leaves the student at the prompt;
/// `check` runs the rest on a copy of the current state (so the student can go
/// on trying) and says which expectations hold. A header line
/// `# forbid: set, partition` names commands the answer may not use.
extension Session {
    /// The exercise being worked: where its gap is and what it forbids.
    struct Exercise {
        var path: String
        var lines: [String]
        /// The index in `lines` of the gap line.
        var gap: Int
        /// Command words the student's commands may not use.
        var forbidden: [String]
        /// The number of undo steps when the scene was set: the student's
        /// commands are the steps after it.
        var setUpSteps: Int

        static let gapLine = "# your commands here"

        /// Reads an exercise's text: its gap and its `# forbid:` headers.
        static func parse(_ text: String, path: String) throws(CommandError) -> Exercise {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let gap = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == gapLine }) else {
                throw CommandError("\(path) has no line `\(gapLine)`, so it is not an exercise (`source` runs a script)")
            }
            var forbidden: [String] = []
            let known = Set(CommandCatalog.names + Session.commands.map(\.name))
            for (index, line) in lines[..<gap].enumerated() {
                guard let words = forbidList(line) else { continue }
                for word in words {
                    guard known.contains(word) else {
                        throw CommandError("\(path):\(index + 1): `# forbid:` names \(quoted(word)), which is not a command")
                    }
                    if !forbidden.contains(word) { forbidden.append(word) }
                }
            }
            return Exercise(path: path, lines: lines, gap: gap, forbidden: forbidden, setUpSteps: 0)
        }

        /// The command words of a `# forbid: set, partition` line, or nil for any other line.
        static func forbidList(_ line: String) -> [String]? {
            var rest = Substring(line.trimmingCharacters(in: .whitespaces))
            guard rest.first == "#" else { return nil }
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            guard rest.lowercased().hasPrefix("forbid:") else { return nil }
            return rest.dropFirst("forbid:".count)
                .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
                .map { $0.lowercased() }
        }
    }

    /// The shell's `exercise` and `check`, for `help`, suggestions and completion.
    static let exerciseCommands: [CommandInfo] = [
        CommandInfo(
            name: "exercise", group: .session, usage: ["exercise FILE"],
            summary: "set an exercise's scene and leave you at its gap",
            example: "exercise scripts/exercises/figure8c.exercise.raftscript",
            details: "Starts afresh (a fresh cluster, undo history cleared) and runs the exercise up to its line `# your commands here`. Type your answer, then `check`. `raftsh exercise FILE` opens the shell this way."
        ),
        CommandInfo(
            name: "check", group: .session, usage: ["check"],
            summary: "check your answer: which of the exercise's expectations hold now",
            example: "check",
            details: "Runs the exercise's lines after the gap on a copy of the current state (nothing changes, so you can go on) and lists each expectation with ✓ or ✗. Commands the exercise forbids (its `# forbid:` header) that you used and did not undo make the answer wrong."
        ),
    ]

    // MARK: exercise

    mutating func startExercise(_ tokens: [Token], line: String, at location: SourceLocation?) -> ScriptRunner.LineResult {
        guard tokens.count > 1, let first = tokens.dropFirst().first, let last = tokens.last else {
            return report(CommandError("missing a file name (usage: exercise FILE)"), at: location)
        }
        let path = ScriptRunner.resolve(String(line[first.start..<last.end]), relativeTo: location?.file)
        var exercise: Exercise
        do {
            exercise = try Exercise.parse(try ScriptFile.text(path), path: path)
        } catch {
            return report(CommandError(error.message.hasPrefix(path) ? error.message : "\(path): \(error.message)"), at: location)
        }
        restore(origin)
        steps = []
        keptWeight = 0
        firstKept = 0
        self.exercise = nil
        let snapshot = self.snapshot()
        var commands: [Recorded] = []
        for (index, text) in exercise.lines[..<exercise.gap].enumerated() {
            let here = SourceLocation(file: path, line: index + 1)
            let command: Command
            do {
                guard let parsed = try Parser.parse(text) else { continue }
                command = parsed
            } catch {
                return report(CommandError(error.message), at: here)
            }
            switch run(command, line: text, at: here, recording: &commands) {
            case .ok: break
            case .expectFailed: summary.failedExpectations += 1
            case .error: return .error
            }
        }
        if !commands.isEmpty {
            record(UndoStep(line: "exercise \(path)", before: snapshot?.state, weight: snapshot?.weight ?? 0, commands: commands))
        }
        exercise.setUpSteps = steps.count
        self.exercise = exercise
        let forbids = exercise.forbidden.isEmpty ? "" : " It forbids: \(exercise.forbidden.joined(separator: ", "))."
        sink(.line("Exercise \(path): the scene is set (lines 1–\(exercise.gap)).\(forbids) Your commands now, then `check`."))
        return .ok
    }

    // MARK: check

    func check(_ tokens: [Token], at location: SourceLocation?) -> ScriptRunner.LineResult {
        guard tokens.count == 1 else { return report(CommandError("`check` takes no arguments"), at: location) }
        guard let exercise else {
            return report(CommandError("no exercise to check: start one with `exercise FILE`"), at: location)
        }
        guard steps.count >= exercise.setUpSteps else {
            return report(CommandError("the exercise's scene was undone; `exercise \(exercise.path)` sets it again"), at: location)
        }
        var lines: [String] = []
        var held = 0, failed = 0
        for used in forbiddenCommandsUsed(in: exercise) {
            lines.append("✗ you used `\(used.word)` (\(quoted(used.line))), which this exercise forbids")
            failed += 1
        }
        var state = interpreter
        state.settings.trace = false
        state.interruption = nil
        for (offset, text) in exercise.lines[(exercise.gap + 1)...].enumerated() {
            let here = SourceLocation(file: exercise.path, line: exercise.gap + 2 + offset)
            do {
                guard let command = try Parser.parse(text) else { continue }
                switch command {
                case .expect:
                    let failure = try state.run(command).failure
                    let assertion = text.trimmingCharacters(in: .whitespaces)
                    if let failure {
                        lines.append("✗ \(assertion)   (line \(here.line): \(failure))")
                        failed += 1
                    } else {
                        lines.append("✓ \(assertion)")
                        held += 1
                    }
                case .echo(let words):
                    lines.append(words)
                case .show, .help:
                    break
                case .source:
                    throw CommandError("`check` does not run `source`; put the lines in the exercise")
                default:
                    _ = try state.run(command)
                }
            } catch {
                for line in lines { sink(.line(line)) }
                return report(CommandError((error as? CommandError)?.message ?? (error as? ParseError)?.message ?? "\(error)"), at: here)
            }
        }
        for line in lines { sink(.line(line)) }
        let total = held + failed
        if failed == 0 {
            sink(.line(held == 1 ? "check: solved, the 1 expectation holds" : "check: solved, all \(held) expectations hold"))
            return .ok
        }
        sink(.line("check: not yet, \(failed) of \(total) fail\(failed == 1 ? "s" : "")"))
        return .expectFailed
    }

    /// The student's commands (the steps since the scene was set, undone ones
    /// gone, sourced scripts included) that an exercise forbids.
    private func forbiddenCommandsUsed(in exercise: Exercise) -> [(word: String, line: String)] {
        guard !exercise.forbidden.isEmpty else { return [] }
        var used: [(word: String, line: String)] = []
        for step in steps[exercise.setUpSteps...] {
            for recorded in step.commands {
                let line: String = switch recorded {
                case .line(let line), .settleCut(let line, _), .ticksCut(let line, _): line
                }
                guard let word = Tokenizer.tokens(in: line).first?.keyword, exercise.forbidden.contains(word) else { continue }
                used.append((word, line))
            }
        }
        return used
    }
}
