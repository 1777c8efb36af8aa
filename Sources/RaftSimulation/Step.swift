import RaftCluster
import RaftCore

/// One event of a schedule, as a person at the shell could cause it: every step
/// is one RaftScript command, so a schedule replays as a script.
public enum Step: Hashable, Sendable {
    case timeout(ServerID)
    case heartbeat(ServerID)
    case submit(ServerID, String)
    /// The message `position` places after the oldest on the link (0 is the oldest).
    case deliver(from: ServerID, to: ServerID, position: Int)
    case drop(from: ServerID, to: ServerID, position: Int)
    case duplicate(from: ServerID, to: ServerID, position: Int)
    case partition([[ServerID]])
    case heal
    /// `cut A->B` and `heal A->B`: one link, one way.
    case cut(from: ServerID, to: ServerID)
    case healCut(from: ServerID, to: ServerID)
    case crash(ServerID)
    case restart(ServerID)
    /// Leader S hands leadership to T (raftscript.md section 10).
    case transfer(ServerID, to: ServerID)

    /// Carries the step out; false (and no change) when it cannot happen in this
    /// state, as when shrinking removed the step that sent its message. A server
    /// program's failure is thrown, never taken for a step that cannot happen.
    @discardableResult
    public func apply(to cluster: inout Cluster, trace: inout Trace) throws(ClusterError) -> Bool {
        do {
            switch self {
            case .timeout(let id): try cluster.timeout(id, trace: &trace)
            case .heartbeat(let id): try cluster.heartbeat(id, trace: &trace)
            case let .submit(id, value):
                guard case .appended = try cluster.submit(value, to: id, trace: &trace) else { return false }
            case let .deliver(from, to, position):
                try cluster.deliver(sequence: try cluster.sequence(from: from, to: to, position: position), trace: &trace)
            case let .drop(from, to, position):
                cluster.drop(sequence: try cluster.sequence(from: from, to: to, position: position), trace: &trace)
            case let .duplicate(from, to, position):
                cluster.duplicate(sequence: try cluster.sequence(from: from, to: to, position: position), trace: &trace)
            case .partition(let groups): try cluster.partition(groups, trace: &trace)
            case .heal: cluster.heal()
            case let .cut(from, to): guard try cluster.cut(from: from, to: to, trace: &trace) else { return false }
            case let .healCut(from, to): guard cluster.heal(from: from, to: to) else { return false }
            case .crash(let id): try cluster.crash(id, trace: &trace)
            case .restart(let id): try cluster.restart(id)
            case let .transfer(id, target): try cluster.transfer(id, to: target, trace: &trace)
            }
            return true
        } catch {
            if case .program = error { throw error }
            return false
        }
    }

    /// The step as a RaftScript command line.
    public func command(_ name: (ServerID) -> String) -> String {
        func link(_ verb: String, _ from: ServerID, _ to: ServerID, _ position: Int) -> String {
            "\(verb) \(name(from))->\(name(to))" + (position == 0 ? "" : " nth \(position + 1)")
        }
        switch self {
        case .timeout(let id): return "timeout \(name(id))"
        case .heartbeat(let id): return "heartbeat \(name(id))"
        case let .submit(id, value): return "submit \(name(id)) \(value)"
        case let .deliver(from, to, position): return link("deliver", from, to, position)
        case let .drop(from, to, position): return link("drop", from, to, position)
        case let .duplicate(from, to, position): return link("duplicate", from, to, position)
        case .partition(let groups): return "partition " + groups.map { $0.map(name).joined(separator: " ") }.joined(separator: " | ")
        case .heal: return "heal"
        case let .cut(from, to): return "cut \(name(from))->\(name(to))"
        case let .healCut(from, to): return "heal \(name(from))->\(name(to))"
        case .crash(let id): return "crash \(name(id))"
        case .restart(let id): return "restart \(name(id))"
        case let .transfer(id, target): return "transfer \(name(id)) \(name(target))"
        }
    }
}
