import Foundation
import RaftCluster
import RaftCore

/// `undo` and `save`: what each state-changing line did, kept as commands that
/// redo it, and (memory permitting) the state before it.
extension Session {
    /// One undoable step: a line that changed the state, what redoes it (several
    /// commands for a `source`), and the state before it while memory allows.
    struct UndoStep {
        var line: String
        var before: Interpreter?
        var weight: Int
        var commands: [Recorded]
    }

    /// A command that changed the state, as it is replayed and saved.
    enum Recorded: Hashable, Sendable {
        case line(String)
        /// `settle` stopped by Ctrl-C after this many deliveries.
        case settleCut(line: String, deliveries: Int)
        /// `tick` stopped by Ctrl-C after this many ticks.
        case ticksCut(line: String, ticks: Int)
    }

    /// What copying a state costs, roughly: messages in flight, log entries, servers.
    static func weight(of interpreter: Interpreter) -> Int {
        let cluster = interpreter.cluster
        return cluster.network.count + cluster.size + cluster.servers.reduce(0) { $0 + $1.log.lastIndex }
    }

    /// The current state, if it is light enough to keep a copy of. A piped
    /// session keeps none: it stops at its first error, so only `undo` would use
    /// them, and a copy kept makes the next change copy the whole state.
    func snapshot() -> (state: Interpreter, weight: Int)? {
        guard mode == .interactive, interpreter.cluster.network.count <= snapshotLimit else { return nil }
        let weight = Self.weight(of: interpreter)
        return weight <= snapshotLimit ? (interpreter, weight) : nil
    }

    /// Adds a step, letting go of the oldest states beyond the budget (the
    /// latest one stays, whatever it weighs) and folding the oldest steps beyond
    /// the history's length into `base`.
    mutating func record(_ step: UndoStep) {
        steps.append(step)
        if steps.count > undoLimit + undoLimit / 10 { fold(steps.count - undoLimit) }
        if step.before != nil { keptWeight += step.weight }
        while keptWeight > snapshotBudget, firstKept < steps.count - 1 {
            if steps[firstKept].before != nil {
                keptWeight -= steps[firstKept].weight
                steps[firstKept].before = nil
            }
            firstKept += 1
        }
    }

    /// Lets `undo` forget the `count` oldest steps: they are written into
    /// `foldedScript` for `save`, and `base` takes them in only when an undo or a
    /// failed command needs it (`catchUpBase`), so a long piped session runs each
    /// command once. A batch at a time, so the cost per step stays constant.
    mutating func fold(_ count: Int) {
        let recorded = steps[..<count].flatMap(\.commands)
        if recorded.contains(where: { if case .settleCut = $0 { true } else { false } }) {
            // A cut `settle` is written as its deliveries, which takes its state.
            catchUpBase()
            var text: [String]? = []
            Self.replay(recorded, on: &base, writing: &text)
            for line in text ?? [] { foldedScript += line + "\n" }
            baseTakesIn = foldedScript.utf8.count
        } else {
            for line in recorded.flatMap(Self.written) { foldedScript += line + "\n" }
        }
        for step in steps[..<count] where step.before != nil { keptWeight -= step.weight }
        steps.removeFirst(count)
        firstKept = max(0, firstKept - count)
    }

    /// Runs on `base` the folded lines it has not taken in yet.
    mutating func catchUpBase() {
        let pending = foldedScript.utf8.dropFirst(baseTakesIn)
        guard !pending.isEmpty else { return }
        for line in String(decoding: pending, as: UTF8.self).split(separator: "\n") {
            if let command = try? Parser.parse(String(line)) { _ = try? base.run(command) }
        }
        baseTakesIn = foldedScript.utf8.count
    }

    /// The state after the first `count` steps and then `partial`, replayed from
    /// the latest state kept at or before that point.
    mutating func rebuilt(upTo count: Int, then partial: [Recorded] = []) -> Interpreter {
        var (state, from) = replayStart(before: count)
        var ignored: [String]?
        Self.replay(steps[from..<count].flatMap(\.commands) + partial, on: &state, writing: &ignored)
        return state
    }

    /// Where a replay up to step `count` starts: the latest state kept before it
    /// (or the base), made quiet, and the first step to replay from there.
    private mutating func replayStart(before count: Int) -> (state: Interpreter, from: Int) {
        let kept = steps[..<count].lastIndex { $0.before != nil }
        if kept == nil { catchUpBase() }
        var state = kept.flatMap { steps[$0].before } ?? base
        state.interruption = nil
        state.progress = nil
        state.settings.trace = false
        return (state, kept ?? 0)
    }

    /// `rebuilt(upTo:)` for `undo`: on the way it keeps a copy of the state every
    /// `checkpointSpacing` steps (within the budget), so that a run of undos
    /// replays each step about once instead of all of them each time.
    mutating func rebuiltKeepingCheckpoints(upTo count: Int) -> Interpreter {
        var (state, from) = replayStart(before: count)
        var ignored: [String]?
        for index in from..<count {
            if steps[index].before == nil, (count - index) % Self.checkpointSpacing == 0,
                case let weight = Self.weight(of: state), keptWeight + weight <= snapshotBudget {
                steps[index].before = state
                steps[index].weight = weight
                keptWeight += weight
                firstKept = min(firstKept, index)
            }
            Self.replay(steps[index].commands, on: &state, writing: &ignored)
        }
        return state
    }

    static let checkpointSpacing = 32

    /// Takes `state` as the current one, keeping the trace setting and Ctrl-C.
    mutating func restore(_ state: Interpreter) {
        var state = state
        state.settings.trace = interpreter.settings.trace
        state.settings.width = interpreter.settings.width
        state.interruption = interruption
        state.progress = interpreter.progress
        interpreter = state
    }

    /// Redoes recorded commands silently; with `text`, also writes them as script lines.
    static func replay(_ recorded: [Recorded], on state: inout Interpreter, writing text: inout [String]?) {
        for entry in recorded {
            switch entry {
            case .line(let line):
                text? += written(entry)
                if let command = try? Parser.parse(line) { _ = try? state.run(command) }
            case .ticksCut(_, let ticks):
                text? += written(entry)
                if ticks > 0 { _ = try? state.run(.tick(ticks)) }
            case let .settleCut(line, deliveries):
                guard let (commands, end) = try? Self.deliveries(from: state.cluster, count: deliveries, line: line, writing: text != nil)
                else { continue }
                text? += commands
                state.cluster = end
            }
        }
    }

    /// The `count` oldest deliveries a `settle` makes from `start`, and (when
    /// `writing`) the `deliver` commands that redo them: the same messages in the
    /// same order. A stretch that takes every message in flight from one server
    /// is `deliver A->*` (to one server, `deliver *->B`); any other stretch on one
    /// link is `deliver A->B N`.
    static func deliveries(from start: Cluster, count: Int, line: String, writing: Bool) throws(ClusterError) -> (commands: [String], end: Cluster) {
        var trace = Trace(recording: false)
        var links: [(from: ServerID, to: ServerID)] = []
        var replay = start
        for _ in 0..<count {
            guard let message = replay.network.oldest else { break }
            if writing { links.append((message.from, message.to)) }
            try replay.deliver(sequence: message.sequence, trace: &trace)
        }
        guard writing else { return ([], replay) }
        let end = replay
        // Where the stretch with the same sender (receiver, link) that covers index i ends.
        var senderEnd = Array(repeating: links.count, count: links.count)
        var receiverEnd = senderEnd, linkEnd = senderEnd
        for i in links.indices.reversed().dropFirst() {
            let (here, next) = (links[i], links[i + 1])
            senderEnd[i] = here.from == next.from ? senderEnd[i + 1] : i + 1
            receiverEnd[i] = here.to == next.to ? receiverEnd[i + 1] : i + 1
            linkEnd[i] = here.from == next.from && here.to == next.to ? linkEnd[i + 1] : i + 1
        }
        // Inside a stretch from A nobody sends anything from A (only A could), so
        // whether it takes all of A's messages is the same all along: asked once
        // per stretch. Likewise for a stretch to B.
        var known: [String: Bool] = [:]
        func takesAll(_ key: String, length: Int, inFlight: () -> Int) -> Bool {
            if let answer = known[key] { return answer }
            let answer = inFlight() == length
            known[key] = answer
            return answer
        }
        var commands = ["# \(line), interrupted after \(links.count) deliveries:"]
        replay = start
        var i = 0
        while i < links.count {
            let (from, to) = links[i]
            let next: Int
            if senderEnd[i] - i > 1, takesAll("from \(senderEnd[i])", length: senderEnd[i] - i, inFlight: {
                replay.ids.reduce(0) { $0 + replay.network.count(from: from, to: $1) }
            }) {
                commands.append("deliver \(replay.name(from))->*")
                next = senderEnd[i]
            } else if receiverEnd[i] - i > 1, takesAll("to \(receiverEnd[i])", length: receiverEnd[i] - i, inFlight: {
                replay.ids.reduce(0) { $0 + replay.network.count(from: $1, to: to) }
            }) {
                commands.append("deliver *->\(replay.name(to))")
                next = receiverEnd[i]
            } else {
                let count = linkEnd[i] - i
                commands.append("deliver \(replay.name(from))->\(replay.name(to))" + (count == 1 ? "" : " \(count)"))
                next = linkEnd[i]
            }
            while i < next, let message = replay.network.oldest {
                try replay.deliver(sequence: message.sequence, trace: &trace)
                i += 1
            }
            if i < next { break }
        }
        return (commands, end)
    }

    // MARK: undo

    mutating func undo(_ tokens: [Token], at location: SourceLocation?) -> ScriptRunner.LineResult {
        var wanted = 1
        if tokens.count > 2 {
            return report(CommandError("unexpected \(quoted(tokens[2].text)) (usage: undo [N])"), at: location)
        }
        if tokens.count == 2 {
            guard let n = Int(tokens[1].text), n >= 1 else {
                return report(CommandError("expected how many commands to undo (1 or more), found \(quoted(tokens[1].text))"), at: location)
            }
            wanted = n
        }
        guard !steps.isEmpty else {
            let reason = foldedScript.isEmpty ? "" : " (undo reaches back \(undoLimit) commands)"
            return report(CommandError("nothing to undo\(reason)"), at: location)
        }
        let count = min(wanted, steps.count)
        let target = steps.count - count
        restore(steps[target].before ?? rebuiltKeepingCheckpoints(upTo: target))
        let undone = steps.suffix(count)
        steps.removeLast(count)
        for step in undone where step.before != nil { keptWeight -= step.weight }
        firstKept = min(firstKept, steps.count)
        for step in undone.reversed() { sink(.line("undone: \(step.line.trimmingCharacters(in: .whitespacesAndNewlines))")) }
        if wanted > count { sink(.line("(only \(count) to undo)")) }
        return .ok
    }

    // MARK: save

    private static func script(_ commands: [String]) -> String {
        let header = [
            "# Saved by raftsh. Run it (raftsh FILE, or source FILE in the shell) to rebuild the state.",
            "# The commands that changed the state, in order; undone ones are left out.",
        ]
        return (header + commands).joined(separator: "\n") + "\n"
    }

    /// What each step did since the last `cluster` command (the options set
    /// before it kept, as a new cluster keeps them), or since the session's
    /// first cluster, written `cluster N`. A `settle` cut short is written as its
    /// deliveries, which takes a replay.
    private var savedCommands: [String] {
        var recorded = steps.flatMap(\.commands)
        var text: [String]? = ["cluster \(origin.cluster.size)"] + foldedScript.split(separator: "\n").map(String.init)
        if let last = recorded.lastIndex(where: { Self.parsed($0).map(Self.isCluster) ?? false }) {
            let options = recorded[..<last].filter { if case .setOption? = Self.parsed($0) { true } else { false } }
            // The cluster line first, so that it is the one `save` does not count.
            recorded = [recorded[last]] + options + recorded[(last + 1)...]
            text = []
        }
        if recorded.contains(where: { if case .settleCut = $0 { true } else { false } }) {
            var caughtUp = self
            caughtUp.catchUpBase()
            var state = caughtUp.base
            state.interruption = nil
            state.settings.trace = false
            Self.replay(recorded, on: &state, writing: &text)
        } else {
            text? += recorded.flatMap(Self.written)
        }
        return text ?? []
    }

    private static func parsed(_ entry: Recorded) -> Command? {
        guard case .line(let line) = entry else { return nil }
        return try? Parser.parse(line)
    }

    private static func isCluster(_ command: Command) -> Bool {
        switch command {
        case .clusterOfSize, .clusterNamed: true
        default: false
        }
    }

    /// A recorded command as script lines (a cut `settle` needs its state: see `replay`).
    static func written(_ entry: Recorded) -> [String] {
        switch entry {
        case .line(let line): [line]
        case let .ticksCut(line, ticks):
            ["# \(line), interrupted after \(ticks) tick\(ticks == 1 ? "" : "s"):"] + (ticks > 0 ? ["tick \(ticks)"] : [])
        case .settleCut: []
        }
    }

    mutating func save(_ tokens: [Token], line: String, at location: SourceLocation?) -> ScriptRunner.LineResult {
        var force = tokens[0].keyword == "save!"
        var rest = tokens.dropFirst()
        if let flag = rest.first, flag.text == "--force" {
            force = true
            rest = rest.dropFirst()
        }
        guard let first = rest.first, let last = rest.last else {
            return report(CommandError("missing a file name (usage: save FILE, save! FILE)"), at: location)
        }
        let path = String(line[first.start..<last.end])
        if FileManager.default.fileExists(atPath: path), !force {
            return report(CommandError("\(path) exists; `save! \(path)` overwrites it"), at: location)
        }
        let commands = savedCommands
        do {
            try FileWriter.write(Self.script(commands), to: path)
        } catch {
            return report(error, at: location)
        }
        // The commands after the `cluster` line the script starts from.
        let count = commands.count { !$0.hasPrefix("#") } - 1
        sink(.line("saved \(count) command\(count == 1 ? "" : "s") to \(path)"))
        return .ok
    }
}
