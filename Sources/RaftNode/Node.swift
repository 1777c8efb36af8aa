import Foundation
import RaftCluster
import RaftCore

/// A user's Raft server program, run as raftsh's servers (`--node CMD`): one
/// process serves the whole cluster, one request and one answer per step.
///
/// raftsh keeps all state, so the process is only ever asked: after a failure
/// it is ended, and the next step starts a fresh one (with a new handshake),
/// which is how the shell goes on after a misbehaving program. Steps are asked
/// one at a time.
public final class Node: ServerProgram, @unchecked Sendable {
    public let command: String
    /// The name the program gave in its handshake.
    public private(set) var name = ""
    public private(set) var features: Set<String> = []
    /// How long a step may take before the program counts as hung (`--node-timeout`).
    public let timeLimit: Duration
    /// Whether the program's standard error goes to raftsh's (the shell) or is
    /// only kept for error messages (scripts, tests, searches).
    public let passesStandardError: Bool
    /// Whether every step is asked twice and the answers compared (protocol
    /// section 8, `--check-determinism`): a program whose answer depends on more
    /// than the request breaks replays, undo and shrinking.
    public let checksDeterminism: Bool

    /// Where a step's time goes, for the benchmark (`raftsh-bench node`).
    public struct Timing: Sendable {
        /// Steps asked (a determinism check asks each twice).
        public var steps = 0
        /// In `step`, from the request's first byte written to raftsh's last use of the answer.
        public var stepSeconds = 0.0
        /// Of which waiting for the program: writing the request, reading the answer.
        public var exchangeSeconds = 0.0
    }

    public private(set) var timing = Timing()
    private var process: NodeProcess?
    private var writer = JSONWriter()
    /// Each server's log as written into its last request.
    private var kept = KeptText()
    /// Requests asked ahead (`askAhead`) and their answers, the next at `aheadPosition`.
    private var ahead: [(request: [UInt8], answer: Result<[UInt8], NodeProcess.Failure>)] = []
    private var aheadPosition = 0
    private let lock = NSLock()

    /// Starts the program and shakes hands with it (section 2).
    public init(
        command: String, timeLimit: Duration = .seconds(10), passesStandardError: Bool = false, checksDeterminism: Bool = false
    ) throws(ProgramFailure) {
        self.command = command
        self.timeLimit = timeLimit
        self.passesStandardError = passesStandardError
        self.checksDeterminism = checksDeterminism
        try lock.withLock { () throws(ProgramFailure) in _ = try running() }
    }

    deinit {
        process?.terminate()
    }

    public var description: String {
        "node \(name.isEmpty ? "" : "\"\(name)\" ")(\(command))"
    }

    public func another() throws(ProgramFailure) -> any ServerProgram {
        try Node(command: command, timeLimit: timeLimit, passesStandardError: passesStandardError, checksDeterminism: checksDeterminism)
    }

    /// Ends the program now, closing its input and giving it a moment to
    /// finish by itself; a later step would start it again.
    public func stop() {
        lock.withLock {
            process?.terminate(grace: .milliseconds(500))
            process = nil
        }
    }

    public func step(_ step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, into output: inout Output) throws(ProgramFailure) {
        try lock.withLock { () throws(ProgramFailure) in
            let started = ContinuousClock.now
            defer { timing.stepSeconds += (ContinuousClock.now - started).seconds }
            writer.removeAll()
            NodeRequest(context: context).step(step, of: server, kept: &kept, into: &writer)
            let line: [UInt8]
            if let answer = try answeredAhead(step, context) {
                line = answer
            } else {
                line = try exchange(what: "(\(NodeRequest(context: context).describe(step)))")
            }
            try read(line, for: step, of: &server, in: &context, into: &output)
        }
    }

    /// Sends the requests at once and keeps their answers for the steps that
    /// follow (section 3 allows no more than one answer per request, in order,
    /// so answers come back in the order asked). Not with a determinism check,
    /// which asks each request twice in turn.
    public func askAhead(_ requests: [ProgramRequest]) {
        guard !checksDeterminism, requests.count > 1 else { return }
        lock.withLock {
            ahead.removeAll(keepingCapacity: true)
            aheadPosition = 0
            var lines: [[UInt8]] = []
            lines.reserveCapacity(requests.count)
            for request in requests {
                writer.removeAll()
                NodeRequest(context: request.context).step(request.step, of: request.server, kept: &kept, into: &writer)
                lines.append(writer.bytes)
            }
            guard let process = try? running() else { return }
            process.runOnEveryCore()
            let started = ContinuousClock.now
            let answers = process.exchange(lines, timeout: timeLimit)
            timing.steps += answers.count
            timing.exchangeSeconds += (ContinuousClock.now - started).seconds
            for (line, answer) in zip(lines, answers) { ahead.append((line, answer)) }
        }
    }

    /// The answer kept for the request in `writer`, if it was asked ahead and
    /// is the next one kept; nil (and nothing kept any more) otherwise.
    private func answeredAhead(_ step: ProgramStep, _ context: ProgramContext) throws(ProgramFailure) -> [UInt8]? {
        guard aheadPosition < ahead.count else { return nil }
        let (request, answer) = ahead[aheadPosition]
        guard request.elementsEqual(writer.written) else {
            aheadPosition = ahead.count
            return nil
        }
        aheadPosition += 1
        switch answer {
        case .success(let line): return line
        case .failure(let error):
            aheadPosition = ahead.count
            throw failure("(\(NodeRequest(context: context).describe(step))): \(Self.describe(error))", line: nil)
        }
    }

    /// Takes `line` as the answer to the request in `writer`: read straight
    /// from its bytes when it is the usual kind (`AnswerReader`), else in full,
    /// which says what is wrong.
    private func read(
        _ line: [UInt8], for step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, into output: inout Output
    ) throws(ProgramFailure) {
        let request = NodeRequest(context: context)
        // Made only for a message: most steps never need it.
        var what: String { "(\(request.describe(step)))" }
        if checksDeterminism
            || !AnswerReader.apply(line, names: context.names, kept: kept, to: &server, in: &context, into: &output)
        {
            let answer: JSON
            do {
                answer = try JSONParser.parse(line)
            } catch {
                throw failure("\(what): the answer is not JSON (\(error))", line: line)
            }
            if checksDeterminism {
                let again = try exchange(what: what)
                // Compared as values: the same JSON written with other spacing or key order is the same answer.
                let second = (try? JSONParser.parse(again)) ?? .string(String(decoding: again, as: UTF8.self))
                // The state and the messages first: a difference there is what breaks replays.
                let difference = ["state", "send", "resetTimer", "refused"].lazy.compactMap {
                    JSON.firstDifference(answer[$0] ?? .null, second[$0] ?? .null, at: $0)
                }.first ?? JSON.firstDifference(answer, second)
                if let (path, first, then) = difference {
                    let text = { (value: JSON?) in value.map { Self.quote(Array(JSONWriter.text($0).utf8)) } ?? "nothing" }
                    throw failure(
                        "\(what): not deterministic (protocol section 8): asked the same request twice, \(path) was \(text(first)) and then \(text(then)); the request",
                        line: writer.bytes
                    )
                }
            }
            do throws(NodeAnswer.Invalid) {
                try NodeAnswer(names: context.names, server: server.server.id).apply(answer, to: &server, in: &context, into: &output)
            } catch {
                throw failure("\(what): \(error.reason)", line: error.offending.map { Array(JSONWriter.text($0).utf8) } ?? line)
            }
        }
        if step == .initialize || step == .restart, !output.messages.isEmpty {
            throw failure("\(what): a server sends nothing at \(request.describe(step))", line: line)
        }
    }

    // MARK: - The process

    /// The running process, started and greeted if there is none.
    private func running() throws(ProgramFailure) -> NodeProcess {
        if let process { return process }
        let started: NodeProcess
        do {
            started = try NodeProcess(command: command, passStandardError: passesStandardError)
        } catch {
            throw ProgramFailure("cannot start `\(command)`: \(Self.describe(error))")
        }
        process = started
        // The hello is written aside: `writer` may hold the request that made the process start.
        var request = JSONWriter()
        swap(&request, &writer)
        defer { swap(&request, &writer) }
        NodeRequest.hello(into: &writer)
        let line = try exchange(what: "(handshake)")
        guard let hello = try? JSONParser.parse(line), hello["type"] == .string("hello") else {
            throw failure("(handshake): expected {\"type\":\"hello\",\"protocol\":1,\"name\":…}", line: line)
        }
        guard hello["protocol"] == .int(1) else {
            throw failure("(handshake): this raftsh speaks protocol 1", line: line)
        }
        guard case .string(let name) = hello["name"] else {
            throw failure("(handshake): the hello has no \"name\" string", line: line)
        }
        var features: Set<String> = []
        if let list = hello["features"], list != .null {
            guard case .array(let items) = list else { throw failure("(handshake): \"features\" is not an array", line: line) }
            for item in items {
                guard case .string(let feature) = item else { throw failure("(handshake): a feature is not a string", line: line) }
                features.insert(feature)
            }
        }
        self.name = name
        self.features = features
        return started
    }

    /// Sends the request in `writer` and waits for the answer; any failure ends the process.
    private func exchange(what: @autoclosure () -> String) throws(ProgramFailure) -> [UInt8] {
        let process = try running()
        let started = ContinuousClock.now
        defer {
            timing.steps += 1
            timing.exchangeSeconds += (ContinuousClock.now - started).seconds
        }
        do {
            try process.send(writer.written)
            return try process.receiveLine(timeout: timeLimit)
        } catch {
            throw failure("\(what()): \(Self.describe(error))", line: nil)
        }
    }

    /// A failure message, quoting the offending line (cut at 200 characters) and
    /// the program's last words on standard error; the process is ended.
    private func failure(_ message: String, line: [UInt8]?) -> ProgramFailure {
        var text = message
        if let line { text += ": " + Self.quote(line) }
        aheadPosition = ahead.count  // answers of the process that failed are not taken
        if let process {
            let tail = process.standardErrorTail.suffix(3)
            if !tail.isEmpty, !passesStandardError { text += " (its standard error ends: " + tail.joined(separator: " ⏎ ") + ")" }
            process.terminate()
        }
        process = nil
        return ProgramFailure(text)
    }

    static func quote(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(200), as: UTF8.self)
        return line.count > 200 ? text + "…" : text
    }

    private static func describe(_ error: NodeProcess.Failure) -> String {
        switch error {
        case .cannotStart(let why): why
        case .exited(let status?): "the program exited (status \(status))"
        case .exited(nil): "the program closed its standard output"
        case .timedOut(let seconds): "no answer within \(seconds.formatted()) s (--node-timeout)"
        case .lineTooLong(let limit): "an answer longer than \(limit >> 20) MiB"
        case .writeFailed(let why): "cannot write to the program: \(why)"
        }
    }
}

extension Node {
    /// raftsh's side of a step without a program: the request written into
    /// `writer` (with the logs' text kept in `logs` from one call to the next,
    /// as a `Node` keeps it), and `answer` read as `step` reads a program's. What
    /// `raftsh-bench node-codec` counts: the codec's cost alone, free of the
    /// pipe's and of the program's. Throws what is wrong with the answer.
    public static func stepWithoutProgram(
        _ step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, answer: [UInt8],
        into output: inout Output, writer: inout JSONWriter, kept: inout KeptText
    ) throws {
        writer.removeAll()
        NodeRequest(context: context).step(step, of: server, kept: &kept, into: &writer)
        guard !AnswerReader.apply(answer, names: context.names, kept: kept, to: &server, in: &context, into: &output) else { return }
        try NodeAnswer(names: context.names, server: server.server.id).apply(try JSONParser.parse(answer), to: &server, in: &context, into: &output)
    }
}

extension NSLock {
    /// `withLock` for a body with a typed error.
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

extension Double {
    fileprivate func formatted() -> String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
