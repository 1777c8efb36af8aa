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
        let leaders = cluster.liveLeaders
        let timeout = leaders.isEmpty ? weights.timeoutWithoutLeader : weights.timeoutWithLeader
        let deliver = cluster.network.isEmpty ? 0 : weights.deliver
        let heartbeat = leaders.isEmpty ? 0 : weights.heartbeat
        let submit = leaders.isEmpty || !options.clients ? 0 : weights.submit
        let partition = options.partitions ? weights.partition : 0
        let crash = options.crashes ? weights.crash : 0

        var pick = Int.random(in: 0..<(timeout + deliver + heartbeat + submit + partition + crash), using: &random)
        if pick < deliver { return delivery(in: cluster) }
        pick -= deliver
        if pick < timeout {
            let candidates = cluster.ids.filter { cluster.isUp[$0.index] && cluster[$0].role.kind != .leader }
            return candidates.randomElement(using: &random).map(Step.timeout)
        }
        pick -= timeout
        if pick < heartbeat { return leaders.randomElement(using: &random).map(Step.heartbeat) }
        pick -= heartbeat
        if pick < submit {
            submitted += 1
            return leaders.randomElement(using: &random).map { Step.submit($0, "v\(submitted)") }
        }
        pick -= submit
        if pick < partition { return partitionOrHeal(in: cluster) }
        return crashOrRestart(in: cluster)
    }

    private mutating func delivery(in cluster: Cluster) -> Step? {
        let network = cluster.network
        var message = network.oldest
        for _ in 0..<8 {
            if let found = network.message(atSlot: Int.random(in: 0..<network.slotCount, using: &random)) {
                message = found
                break
            }
        }
        guard let message else { return nil }
        let position = network.position(of: message)
        if random.chance(options.duplicate) { return .duplicate(from: message.from, to: message.to, position: position) }
        if random.chance(options.loss) { return .drop(from: message.from, to: message.to, position: position) }
        return .deliver(from: message.from, to: message.to, position: position)
    }

    private mutating func partitionOrHeal(in cluster: Cluster) -> Step {
        if cluster.groups != nil, Bool.random(using: &random) { return .heal }
        let shuffled = cluster.ids.shuffled(using: &random)
        let cut = Int.random(in: 1..<max(2, shuffled.count), using: &random)
        return .partition([shuffled.prefix(cut).sorted()])
    }

    private mutating func crashOrRestart(in cluster: Cluster) -> Step? {
        let down = cluster.ids.filter { !cluster.isUp[$0.index] }
        let up = cluster.ids.filter { cluster.isUp[$0.index] }
        if !down.isEmpty, up.isEmpty || Bool.random(using: &random) {
            return down.randomElement(using: &random).map(Step.restart)
        }
        // Leaders are the interesting servers to lose: half the crashes pick one.
        let leaders = cluster.liveLeaders
        if !leaders.isEmpty, Bool.random(using: &random) { return leaders.randomElement(using: &random).map(Step.crash) }
        return up.randomElement(using: &random).map(Step.crash)
    }
}
