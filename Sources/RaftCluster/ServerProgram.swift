import RaftCore

/// Who carries out the servers' steps: raftsh's own `Server` (RaftCore), or a
/// user's program speaking the node protocol (`raftsh --node CMD`).
///
/// Either way a server's state is a `Server` value that the cluster holds, so
/// the network, the safety checker, the interpreter and the searches neither
/// know nor ask which kind they hold. The one place that asks is
/// `Cluster.apply`, where a server's step is carried out.
public enum Implementation: Sendable {
    case builtIn
    case program(any ServerProgram)

    /// The program, when the servers are a user's.
    public var program: (any ServerProgram)? {
        switch self {
        case .builtIn: nil
        case .program(let program): program
        }
    }

    /// The same implementation for another thread: raftsh's own servers are
    /// values, a program is started once more.
    public func another() throws(ProgramFailure) -> Implementation {
        switch self {
        case .builtIn: .builtIn
        case .program(let program): .program(try program.another())
        }
    }
}

/// Clusters are compared by their state: two clusters run by the same program,
/// or both by raftsh's own servers, have the same implementation.
extension Implementation: Hashable {
    public static func == (lhs: Implementation, rhs: Implementation) -> Bool {
        switch (lhs, rhs) {
        case (.builtIn, .builtIn): true
        case let (.program(a), .program(b)): a === b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .builtIn: hasher.combine(0)
        case .program(let program): hasher.combine(ObjectIdentifier(program))
        }
    }
}

/// A server implementation outside raftsh: a function from (server state,
/// event) to (new state, messages), as the node protocol puts it. raftsh keeps
/// all state, so the program is asked, never trusted to remember.
public protocol ServerProgram: AnyObject, Sendable {
    /// What the banner and `show` call it.
    var description: String { get }
    /// The options of raftscript.md section 10 it supports (`prevote`,
    /// `checkquorum`, `transfer`), from its handshake.
    var features: Set<String> { get }
    /// Carries out one step of one server: `server` comes in as raftsh holds it
    /// and goes out as the program answered; what it sends, whether it restarts
    /// its election timer, its narration and a refused request go into `output`.
    func step(_ step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, into output: inout Output) throws(ProgramFailure)
    /// Another running instance of the same program, for steps carried out in
    /// parallel (`simulate --jobs`): the program keeps no state, so any instance
    /// answers a request alike.
    func another() throws(ProgramFailure) -> any ServerProgram
    /// Ends the program's process now (a later step starts it again).
    func stop()
    /// Steps about to be asked, in this order, none depending on another's
    /// answer (the successors of one state in `explore`): a program may send
    /// them all at once and keep the answers for the `step` calls that follow,
    /// so that several requests are in flight. A hint only: a step asked that
    /// was not announced, or in another order, is carried out as usual.
    func askAhead(_ requests: [ProgramRequest])
}

extension ServerProgram {
    public func askAhead(_ requests: [ProgramRequest]) {}
}

/// One step as a program is asked it: what `ServerProgram.step` is given.
public struct ProgramRequest: Sendable {
    public var step: ProgramStep
    public var server: ProgramServer
    public var context: ProgramContext

    public init(step: ProgramStep, server: ProgramServer, context: ProgramContext) {
        self.step = step
        self.server = server
        self.context = context
    }
}

/// What a program is asked to do.
public enum ProgramStep: Hashable, Sendable {
    /// The server is created (`cluster`): the fresh state, to which the program may add fields.
    case initialize
    /// The server comes back after a crash with only its persistent state.
    case restart
    case event(Event)
}

/// The cluster around a step: names in cluster order, the options in force,
/// and the table through which messages carry a program's own fields (a
/// received message's are looked up there, a sent message's numbered there).
public struct ProgramContext: Sendable {
    public let names: [String]
    public let configuration: Configuration
    public var ownFields: OwnFieldsTable
    /// Why the program turned a client request away, when it says (the
    /// protocol's `refused`); set by the step.
    public var refusal: String?

    public init(names: [String], configuration: Configuration, ownFields: OwnFieldsTable = OwnFieldsTable()) {
        self.names = names
        self.configuration = configuration
        self.ownFields = ownFields
    }
}

/// A server's whole state under a program: Figure 2's part, which raftsh reads
/// and judges, and what the program keeps besides.
public struct ProgramServer: Hashable, Sendable {
    public var server: Server
    public var state: ProgramState

    public init(server: Server, state: ProgramState) {
        self.server = server
        self.state = state
    }
}

/// What a program keeps of a server beyond Figure 2's fields: its own fields,
/// and which of the protocol's optional fields it reports.
public struct ProgramState: Hashable, Sendable {
    /// Fields the program added, kept verbatim.
    public var own = OwnFields()
    /// Whether it reports `votes` (else `expect S votes` cannot be answered).
    public var reportsVotes = false
    /// Whether it reports a leader's `nextIndex` and `matchIndex`.
    public var reportsProgress = false
    /// Whether it reports `transferTo`, and the server a LEADER is handing
    /// leadership to (raftscript.md section 10).
    public var reportsTransfer = false
    public var transferTo: ServerID?

    public init() {}

    /// Its part of the one listing of a state (`Cluster.visitStoredState`).
    @inlinable
    public func visitStoredState(_ visitor: inout some StateVisitor) {
        visitor.visit(ownFields: own)
        visitor.visit(flag: reportsVotes)
        visitor.visit(flag: reportsProgress)
        visitor.visit(flag: reportsTransfer)
        visitor.visit(server: transferTo)
    }
}

/// A program that broke the node protocol (its section 7): it could not start
/// or exited, answered something that is not the protocol, or too late.
public struct ProgramFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
