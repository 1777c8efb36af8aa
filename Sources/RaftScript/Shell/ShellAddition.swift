import RaftCluster

/// A command a program adds to the shell beside the language and the session's
/// own (`undo`, `save`): the charts' `chart` and `show timeline`. It reads the
/// session and says what to print, or why it cannot; it changes nothing.
public struct ShellAddition {
    /// For `help` and completion.
    public let info: CommandInfo
    /// The words that start it, as keywords: ["chart"], or ["show", "timeline"].
    public let words: [String]
    /// Runs it with the words after `words`.
    public let run: (_ arguments: [String], _ session: Session) throws(CommandError) -> [String]

    public init(
        info: CommandInfo, words: [String],
        run: @escaping (_ arguments: [String], _ session: Session) throws(CommandError) -> [String]
    ) {
        self.info = info
        self.words = words
        self.run = run
    }

    func matches(_ tokens: [Token]) -> Bool {
        tokens.count >= words.count && zip(tokens, words).allSatisfy { $0.keyword == $1 }
    }
}

extension Session {
    /// Runs the state-changing commands of the session again from its start,
    /// `undo`ne ones left out, handing each to `observer`: the chart of the session
    /// so far. (Lines that change nothing, `echo` and `expect` among them, are not
    /// kept by the session, and so are not drawn.)
    public func replay(into observer: any CommandObserver) {
        var runner = ScriptRunner(interpreter: origin) { _ in }
        runner.interpreter.interruption = nil
        runner.interpreter.settings.trace = false
        runner.observer = observer
        for entry in steps.flatMap(\.commands) {
            switch entry {
            case .line(let line):
                _ = runner.run(line: line, at: nil)
            case .ticksCut(_, let ticks):
                if ticks > 0 { _ = runner.run(.tick(ticks), line: "tick \(ticks)", at: nil) }
            case let .settleCut(line, deliveries):
                guard let (commands, _) = try? Self.deliveries(from: runner.interpreter.cluster, count: deliveries, line: line, writing: true)
                else { continue }
                for command in commands { _ = runner.run(line: command, at: nil) }
            }
        }
    }

    /// The cluster the session started from.
    public var startingCluster: Cluster { origin.cluster }

    func runAddition(_ addition: ShellAddition, _ tokens: [Token], at location: SourceLocation?) -> ScriptRunner.LineResult {
        do {
            let lines = try addition.run(tokens.dropFirst(addition.words.count).map(\.text), self)
            for line in lines { sink(.line(line)) }
            return .ok
        } catch {
            return report(error, at: location)
        }
    }
}
