import RaftCore

/// A command the cluster cannot carry out, with the names the user typed.
public enum ClusterError: Error, Hashable, Sendable, CustomStringConvertible {
    case serverDown(String)
    case serverUp(String)
    case isLeader(String)
    case notLeader(String)
    case noMessage(from: String, to: String)
    case notEnoughMessages(from: String, to: String, inFlight: Int, wanted: Int)
    case settleBoundReached(deliveries: Int, inFlight: Int)
    case serverInTwoGroups(String)
    case cutToItself(String)
    case noLeader
    case leadersShareTerm(String, String, term: Int)
    case invalidState(server: String, StateError)
    case noLeaderWithin(ticks: Int)
    case badClusterSize(Int)
    case duplicateName(String)
    case transferToItself(String)
    /// A user's program does not support an option of raftscript.md section 10
    /// (node-protocol.md section 6: its handshake does not list the feature).
    case missingFeature(String, program: String)
    /// A user's server program broke the node protocol while handling a step of
    /// this server (none: while starting another instance of it).
    case program(server: String?, ProgramFailure)

    public var description: String {
        switch self {
        case .serverDown(let s): "\(s) is down"
        case .serverUp(let s): "\(s) is already up"
        case .isLeader(let s):
            "\(s) is LEADER; a leader's election timer runs only with checkquorum on or a transfer pending"
        case .notLeader(let s): "\(s) is not LEADER"
        case let .noMessage(from, to): "no message in flight from \(from) to \(to)"
        case let .notEnoughMessages(from, to, inFlight, wanted):
            "only \(inFlight) message\(inFlight == 1 ? "" : "s") in flight from \(from) to \(to), not \(wanted)"
        case let .settleBoundReached(deliveries, inFlight):
            "settle stopped after \(deliveries) deliveries with \(inFlight) still in flight (raise the bound: settle N)"
        case .serverInTwoGroups(let s): "\(s) is in two partition groups"
        case .cutToItself(let s): "a server does not send to itself: there is no link from \(s) to \(s) to cut"
        case .noLeader: "there is no leader (no live server is LEADER)"
        case let .leadersShareTerm(a, b, term): "`leader` is ambiguous: \(a) and \(b) are both LEADER of term \(term)"
        case let .invalidState(server, error): Self.describe(error, server: server)
        case .noLeaderWithin(let ticks): "no leader backed by a majority after \(ticks) ticks"
        case .badClusterSize(let n): "a cluster has 1 to 1000 servers, not \(n)"
        case .duplicateName(let s): "server name \(s) is given twice"
        case .transferToItself(let s): "\(s) cannot transfer leadership to itself"
        case let .missingFeature(feature, program):
            "\(program) does not support `\(feature)` (its handshake does not list the feature \"\(feature)\")"
        case let .program(server?, failure): "node: \(server) \(failure.message)"
        case let .program(nil, failure): "node: \(failure.message)"
        }
    }

    private static func describe(_ error: StateError, server: String) -> String {
        switch error {
        case let .termBelowLastLogTerm(term, lastLogTerm):
            "\(server)'s log ends in term \(lastLogTerm), so its term cannot be \(term)"
        case let .decreasingLogTerms(index, term, previousTerm):
            "log terms must not decrease: term \(term) at index \(index) follows term \(previousTerm)"
        case .negativeTerm(let term): "a term cannot be negative (\(term))"
        case let .commitIndexOutOfRange(commitIndex, lastIndex):
            "\(server)'s commit index must be between 0 and its log length \(lastIndex), not \(commitIndex)"
        case .unknownServer(let id): "no server at position \(id.index + 1)"
        }
    }
}
