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

    /// What the scheduler chose. A message step names its message by sequence
    /// number: it applies without walking the link, and only a recorded schedule
    /// pays for the walk that turns it into a `Step` (a position on the link).
    enum Choice {
        case step(Step)
        case deliver(sequence: Int)
        case drop(sequence: Int)
        case duplicate(sequence: Int)

        /// The step as a schedule records it, in the state it was chosen in.
        func step(in cluster: Cluster) -> Step {
            func link(_ sequence: Int) -> (ServerID, ServerID, Int) {
                let message = cluster.network[sequence]!
                return (message.from, message.to, cluster.network.position(ofSequence: sequence))
            }
            switch self {
            case .step(let step): return step
            case .deliver(let sequence):
                let (from, to, position) = link(sequence)
                return .deliver(from: from, to: to, position: position)
            case .drop(let sequence):
                let (from, to, position) = link(sequence)
                return .drop(from: from, to: to, position: position)
            case .duplicate(let sequence):
                let (from, to, position) = link(sequence)
                return .duplicate(from: from, to: to, position: position)
            }
        }

        /// Carries the choice out, as `Step.apply` would; false (and no change) when it cannot happen.
        func apply(to cluster: inout Cluster, trace: inout Trace) -> Bool {
            switch self {
            case .step(let step): return step.apply(to: &cluster, trace: &trace)
            case .deliver(let sequence): cluster.deliver(sequence: sequence, trace: &trace)
            case .drop(let sequence): cluster.drop(sequence: sequence, trace: &trace)
            case .duplicate(let sequence): cluster.duplicate(sequence: sequence, trace: &trace)
            }
            return true
        }
    }

    mutating func next(in cluster: Cluster) -> Choice? {
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
            return randomServer(of: cluster) { cluster.isUp[$0.index] && !cluster.isLiveLeader($0) }.map { .step(.timeout($0)) }
        }
        pick -= timeout
        if pick < heartbeat { return randomServer(of: cluster) { cluster.isLiveLeader($0) }.map { .step(.heartbeat($0)) } }
        pick -= heartbeat
        if pick < submit {
            submitted += 1
            return randomServer(of: cluster) { cluster.isLiveLeader($0) }.map { .step(.submit($0, Step.clientValue(submitted))) }
        }
        pick -= submit
        if pick < partition { return .step(partitionOrHeal(in: cluster)) }
        return crashOrRestart(in: cluster, hasLeader: hasLeader).map(Choice.step)
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
    private mutating func delivery(in cluster: Cluster) -> Choice? {
        var chosen: Int?
        for _ in 0..<8 {
            chosen = cluster.network.sequence(atSlot: Int.random(in: 0..<cluster.network.slotCount, using: &random))
            if chosen != nil { break }
        }
        guard let sequence = chosen ?? cluster.network.sequence(atSlot: 0) else { return nil }
        if random.chance(options.duplicate) { return .duplicate(sequence: sequence) }
        if random.chance(options.loss) { return .drop(sequence: sequence) }
        return .deliver(sequence: sequence)
    }

    private mutating func partitionOrHeal(in cluster: Cluster) -> Step {
        if cluster.groups != nil, Bool.random(using: &random) { return .heal }
        let shuffled = cluster.ids.shuffled(using: &random)
        let cut = Int.random(in: 1..<max(2, shuffled.count), using: &random)
        return .partition([shuffled.prefix(cut).sorted()])
    }

    private mutating func crashOrRestart(in cluster: Cluster, hasLeader: Bool) -> Step? {
        let anyDown = cluster.isUp.contains(false), anyUp = cluster.isUp.contains(true)
        if anyDown, !anyUp || Bool.random(using: &random) {
            return randomServer(of: cluster) { !cluster.isUp[$0.index] }.map(Step.restart)
        }
        // Leaders are the interesting servers to lose: half the crashes pick one.
        if hasLeader, Bool.random(using: &random) {
            return randomServer(of: cluster) { cluster.isLiveLeader($0) }.map(Step.crash)
        }
        return randomServer(of: cluster) { cluster.isUp[$0.index] }.map(Step.crash)
    }
}
