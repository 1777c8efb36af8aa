import RaftCluster
import RaftCore

/// The bounds and events of an exhaustive exploration.
public struct ExploreOptions: Hashable, Sendable {
    /// The largest cluster a search takes: a step names its servers in 3 bits each.
    public static let maxServers = 8

    public var servers = 3
    /// States where a server's term is above this are checked but not expanded.
    public var maxTerm = 2
    /// States where a log is longer than this are checked but not expanded.
    public var maxLog = 1
    /// States with more messages in flight than this are checked but not expanded.
    public var maxInFlight = 6
    public var crashes = false
    public var drops = false
    public var duplicates = false
    /// Cut and heal links one way (`cut A->B`, `heal A->B`).
    public var cuts = false
    /// Client requests, each with a new value, up to this many in all.
    public var clients = 0
    public var unsafe: UnsafeVariant?
    /// The election extensions of raftscript.md section 10.
    public var prevote = false
    public var checkQuorum = false
    /// Leadership transfers (`transfer S T`) as explored actions.
    public var transfers = false
    /// Identify states up to a renaming of servers.
    public var symmetry = true
    /// Whose code the servers run: raftsh's own, or a user's program (`--node`).
    public var implementation: Implementation = .builtIn
    /// Threads that expand the states of a level at once (under a program, each
    /// with an instance of it of its own); the answer does not depend on it.
    public var jobs = 1
    /// The bytes the search's tables may hold (fingerprints, origins, states
    /// waiting); reaching it stops the search early (`Explorer.Report.stoppedAtMemoryLimit`).
    public var memoryLimit = Int.max

    public init() {}

    /// The `set` lines a counterexample starts with (section 10's options).
    public var extensionSettings: [String] {
        (prevote ? ["set prevote on"] : []) + (checkQuorum ? ["set checkquorum on"] : [])
    }
}
