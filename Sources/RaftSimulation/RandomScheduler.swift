import RaftCluster
import RaftCore

/// Picks the next step of a random schedule from what can happen in the current state.
///
/// Deliveries dominate, as on a real network, and any message in flight may be
/// the next one delivered, so messages are reordered on and across links.
struct RandomScheduler {
    let options: SimulationOptions
    var random: SeededGenerator
    private var submitted = 0
    private let weights: Weights

    /// How often each kind of event is chosen, drawn once per run (swarm testing):
    /// each run leans a different way — some crash leaders often, some flood them
    /// with requests, some let elections settle — so rare interleavings turn up
    /// sooner than under one fixed mix.
    private struct Weights {
        var timeoutWithoutLeader: Int
        var timeoutWithLeader: Int
        var deliver: Int
        var heartbeat: Int
        var submit: Int
        var partition: Int
        var crash: Int

        init(using random: inout SeededGenerator) {
            timeoutWithoutLeader = random.draw(1...4)
            timeoutWithLeader = random.draw(1...3)
            deliver = random.draw(30...100)
            heartbeat = random.draw(1...6)
            submit = random.draw(2...10)
            partition = random.draw(0...2)
            crash = random.draw(1...6)
        }
    }

    init(options: SimulationOptions, seed: UInt64) {
        self.options = options
        random = SeededGenerator(seed: seed)
        weights = Weights(using: &random)
    }

    mutating func next(in cluster: Cluster) -> Step? {
        let hasLeader = hasLiveLeader(cluster)
        let timeout = hasLeader ? weights.timeoutWithLeader : weights.timeoutWithoutLeader
        let deliver = cluster.network.isEmpty ? 0 : weights.deliver
        let heartbeat = hasLeader ? weights.heartbeat : 0
        let submit = hasLeader && options.clients ? weights.submit : 0
        let partition = options.partitions ? weights.partition : 0
        let crash = options.crashes ? weights.crash : 0

        var pick = Int.random(in: 0..<(timeout + deliver + heartbeat + submit + partition + crash), using: &random)
        if pick < deliver { return delivery(in: cluster) }
        pick -= deliver
        if pick < timeout {
            return randomServer(of: cluster) { cluster.isUp[$0.index] && !cluster.isLiveLeader($0) }.map(Step.timeout)
        }
        pick -= timeout
        if pick < heartbeat { return randomServer(of: cluster) { cluster.isLiveLeader($0) }.map(Step.heartbeat) }
        pick -= heartbeat
        if pick < submit {
            submitted += 1
            return randomServer(of: cluster) { cluster.isLiveLeader($0) }.map { Step.submit($0, "v\(submitted)") }
        }
        pick -= submit
        if pick < partition { return partitionOrHeal(in: cluster) }
        return crashOrRestart(in: cluster)
    }

    private func hasLiveLeader(_ cluster: Cluster) -> Bool {
        cluster.servers.indices.contains { cluster.isLiveLeader(ServerID($0)) }
    }

    /// The server `cluster.ids.filter(matches).randomElement(using:)` would pick, with
    /// the same draw, without building the array: the scheduler asks on every step.
    private mutating func randomServer(of cluster: Cluster, where matches: (ServerID) -> Bool) -> ServerID? {
        let ids = cluster.servers.indices.lazy.map(ServerID.init)
        let count = ids.count(where: matches)
        guard count > 0 else { return nil }
        var remaining = Int.random(in: 0..<count, using: &random)
        for id in ids where matches(id) {
            if remaining == 0 { return id }
            remaining -= 1
        }
        return nil
    }

    /// Tries a few random slots for a message in flight; the oldest if they all hit holes.
    private mutating func delivery(in cluster: Cluster) -> Step? {
        let network = cluster.network
        var chosen: (from: ServerID, to: ServerID, position: Int)?
        for _ in 0..<8 {
            chosen = network.linkPosition(atSlot: Int.random(in: 0..<network.slotCount, using: &random))
            if chosen != nil { break }
        }
        guard let (from, to, position) = chosen ?? network.linkPosition(atSlot: 0) else { return nil }
        if random.chance(options.duplicate) { return .duplicate(from: from, to: to, position: position) }
        if random.chance(options.loss) { return .drop(from: from, to: to, position: position) }
        return .deliver(from: from, to: to, position: position)
    }

    private mutating func partitionOrHeal(in cluster: Cluster) -> Step {
        if cluster.groups != nil, Bool.random(using: &random) { return .heal }
        let shuffled = cluster.ids.shuffled(using: &random)
        let cut = Int.random(in: 1..<max(2, shuffled.count), using: &random)
        return .partition([shuffled.prefix(cut).sorted()])
    }

    private mutating func crashOrRestart(in cluster: Cluster) -> Step? {
        let anyDown = cluster.isUp.contains(false), anyUp = cluster.isUp.contains(true)
        if anyDown, !anyUp || Bool.random(using: &random) {
            return randomServer(of: cluster) { !cluster.isUp[$0.index] }.map(Step.restart)
        }
        // Leaders are the interesting servers to lose: half the crashes pick one.
        if hasLiveLeader(cluster), Bool.random(using: &random) {
            return randomServer(of: cluster) { cluster.isLiveLeader($0) }.map(Step.crash)
        }
        return randomServer(of: cluster) { cluster.isUp[$0.index] }.map(Step.crash)
    }
}
