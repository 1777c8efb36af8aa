import RaftCore

/// A server as a command names it: by name, or `leader` (resolved when the command runs).
public enum ServerRef: Hashable, Sendable, CustomStringConvertible {
    case named(String)
    case leader

    public var description: String {
        switch self {
        case .named(let name): name
        case .leader: "leader"
        }
    }
}

/// Which in-flight messages a `deliver` or `drop` takes.
public enum MessageSelection: Hashable, Sendable {
    /// The oldest N on one link, or all of them when `count` is nil.
    case link(from: ServerRef, to: ServerRef, count: Int?)
    /// Only the `position`-th oldest on the link (1 is the oldest): messages out of order.
    case nth(from: ServerRef, to: ServerRef, position: Int)
    case from(ServerRef)
    case to(ServerRef)
    case all
}

/// What `show` displays.
public enum ShowTarget: Hashable, Sendable {
    case cluster
    case server(ServerRef)
    case log
    case net
}

/// `set OPTION VALUE`.
public enum OptionSetting: Hashable, Sendable {
    case seed(UInt64)
    case electionTimeout(ClosedRange<Int>)
    case heartbeatInterval(Int)
    case latency(ClosedRange<Int>)
    case loss(Double)
    case noop(Bool)
    case prevote(Bool)
    case checkquorum(Bool)
    case trace(Bool)
    /// Switches one safety rule off (or back on), to watch what it protects.
    case unsafe(UnsafeVariant, Bool)
}

/// `expect …`: a check that changes nothing.
public enum Assertion: Hashable, Sendable {
    case role(ServerRef, RoleKind)
    case down(ServerRef)
    case up(ServerRef)
    case term(ServerRef, Int)
    case voted(ServerRef, ServerRef?)
    /// Terms, and values where the script gave them (`T:value`).
    case log(ServerRef, [ExpectedEntry])
    case commit(ServerRef, Int)
    case votes(ServerRef, Int)
    case leaderIs(ServerRef)
    case leaders(Int)
    case pending(Int)
    case pendingOnLink(from: ServerRef, to: ServerRef, count: Int)
    case safe
    /// `expect not ASSERTION`: holds when the assertion does not (section 10).
    indirect case not(Assertion)
    /// `expect error COMMAND…`: holds when the command is an error; it is tried
    /// on a copy of the state, so it changes nothing either way. `written` is the
    /// command as typed, for the failure message.
    indirect case error(Command, written: String)
}

/// One entry of `expect S log`: its term, and its value when written `T:value`.
public struct ExpectedEntry: Hashable, Sendable {
    public var term: Int
    public var value: String?
}

/// One line of RaftScript, parsed.
public enum Command: Hashable, Sendable {
    case timeout([ServerRef])
    case heartbeat(ServerRef)
    case submit(ServerRef, String)
    /// Leader S hands leadership to T (raftscript.md section 10).
    case transfer(ServerRef, ServerRef)
    case deliver(MessageSelection)
    case settle(Int?)
    case drop(MessageSelection)
    /// A second copy of the `position`-th oldest message on the link goes in flight.
    case duplicate(from: ServerRef, to: ServerRef, position: Int)
    case partition([[ServerRef]])
    case isolate(ServerRef)
    case heal
    /// `cut A->B` (that link only) or `cut A B` (both ways): messages on it are lost until healed.
    case cut(ServerRef, ServerRef, bothWays: Bool)
    /// `heal A->B` or `heal A B`: those cut links only.
    case healCut(ServerRef, ServerRef, bothWays: Bool)
    /// Several servers crash (or restart) in the order given.
    case crash([ServerRef])
    case restart([ServerRef])
    case tick(Int)
    case tickUntilLeader(max: Int?)
    case clusterOfSize(Int)
    case clusterNamed([String])
    case setTerm(ServerRef, Int)
    case setLog(ServerRef, [LogEntry])
    case setVoted(ServerRef, ServerRef?)
    case setCommit(ServerRef, Int)
    case setOption(OptionSetting)
    case show(ShowTarget)
    case help(String?)
    case echo(String)
    case expect(Assertion)
    case source(String)

    /// Whether the command can change the cluster (inspection and assertions cannot).
    public var changesState: Bool {
        switch self {
        case .show, .help, .echo, .expect: false
        case .setOption(.trace): false
        default: true
        }
    }
}
