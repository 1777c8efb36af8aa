import RaftCluster
import RaftCore

/// The one cluster in which a search steps every successor of the state it
/// expands, brought back to that state before each step
/// (`Cluster.restoreSearchedState(of:changed:stepped:)`): only the servers
/// that may differ from it, the messages the last step sent and took off, and
/// the few other parts a step may change. Copying the whole state for each
/// successor retained and released every buffer it holds, copied the servers
/// array on the step's first change to a server, and copied every message in
/// flight into a newly allocated ring.
///
/// Under a user's program a step may also change what the program keeps of a
/// server and the fields it added to messages: each successor is then a copy
/// of the whole state, as before.
struct SuccessorScratch {
    /// The successor the last `step` made.
    private(set) var cluster: Cluster
    /// The servers in which `cluster` may differ from the state being expanded.
    private var changed: ServerSet
    /// Whether `cluster` was brought back to the state being expanded and only
    /// stepped since (false before the first step from a state).
    private var stepped = false
    private let copiesWhole: Bool
    /// Steps taken, for the debug builds' check of one in sixteen.
    private var steps = 0

    init(_ start: Cluster) {
        cluster = start
        changed = ServerSet((0..<start.size).lazy.map(ServerID.init))
        copiesWhole = start.implementation.program != nil
    }

    /// A new state is being expanded, restored into the cluster the last one
    /// was (`Cluster.restore(from:values:keeping:)`), which rebuilt the servers
    /// `rebuilt` and kept the others.
    mutating func expand(restoring rebuilt: ServerSet) {
        for index in 0..<cluster.size where rebuilt.contains(ServerID(index)) { changed.insert(ServerID(index)) }
        stepped = false
    }

    /// Steps `state` into `cluster`; false when the step cannot happen there.
    mutating func step(_ step: Step, from state: Cluster, trace: inout Trace) throws(ClusterError) -> Bool {
        if copiesWhole {
            cluster = state
        } else {
            cluster.restoreSearchedState(of: state, changed: changed, stepped: stepped)
            steps += 1
            assert(
                steps & 0xF != 0 || cluster.fingerprint(symmetry: false).canonical == state.fingerprint(symmetry: false).canonical,
                "a scratch cluster brought back to a state differs from it"
            )
            changed = ServerSet()
            if let server = step.changedServer { changed.insert(server) }
            stepped = true
        }
        return try step.apply(to: &cluster, trace: &trace)
    }
}
