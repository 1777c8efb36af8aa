import RaftCluster
import RaftCore

/// What a random simulation may do, and how much of it.
public struct SimulationOptions: Hashable, Sendable {
    public var servers = 5
    /// Run i uses seed `seed + i`.
    public var seed: UInt64 = 1
    /// Events per run.
    public var steps = 10_000
    public var runs = 500
    public var jobs = 1
    /// Probability that a chosen delivery drops the message instead.
    public var loss = 0.0
    /// Probability that a chosen delivery first puts a copy of the message in flight.
    public var duplicate = 0.0
    public var partitions = false
    /// Cut and heal links one way (`cut A->B`, `heal A->B`).
    public var cuts = false
    public var crashes = false
    public var clients = false
    public var unsafe: UnsafeVariant?
    /// The election extensions of raftscript.md section 10.
    public var prevote = false
    public var checkQuorum = false
    /// Leadership transfers (`transfer S T`) as random events.
    public var transfers = false
    /// Whose code the servers run: raftsh's own, or a user's program (`--node`).
    public var implementation: Implementation = .builtIn

    public init() {}

    public var configuration: Configuration {
        Configuration(prevote: prevote, checkQuorum: checkQuorum, unsafe: unsafe.map { [$0] } ?? [])
    }

    /// Whether a LEADER's election timer can fire: with CheckQuorum, or while a
    /// transfer is pending (raftscript.md section 10).
    var leadersTimeOut: Bool { checkQuorum || transfers }

    /// The `set` lines a counterexample starts with, so that it replays with the
    /// same options of section 10.
    public var extensionSettings: [String] {
        (prevote ? ["set prevote on"] : []) + (checkQuorum ? ["set checkquorum on"] : [])
    }

    /// A fresh cluster as every run starts, firing timers as events and naming
    /// messages by sequence number: no time kept, no lists by link.
    func freshCluster() throws(ClusterError) -> Cluster {
        var cluster = try Cluster(size: servers, configuration: configuration, implementation: implementation)
        cluster.keepsTime = false
        cluster.listsLinks = false
        return cluster
    }
}
