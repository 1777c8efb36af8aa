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

    init(options: SimulationOptions, seed: UInt64) {
        self.options = options
        random = SeededGenerator(seed: seed)
    }

    private enum Kind {
        case deliver, timeout, heartbeat, submit, partition, crash
    }

    mutating func next(in cluster: Cluster) -> Step? {
        var kinds: [(Kind, Int)] = [(.timeout, 2)]
        if !cluster.network.isEmpty { kinds.append((.deliver, 60)) }
        let leaders = cluster.liveLeaders
        if !leaders.isEmpty {
            kinds.append((.heartbeat, 4))
            if options.clients { kinds.append((.submit, 3)) }
        }
        if options.partitions { kinds.append((.partition, 1)) }
        if options.crashes { kinds.append((.crash, 1)) }

        var pick = Int.random(in: 0..<kinds.reduce(0) { $0 + $1.1 }, using: &random)
        var kind = kinds[0].0
        for (candidate, weight) in kinds {
            if pick < weight { kind = candidate; break }
            pick -= weight
        }
        switch kind {
        case .deliver: return delivery(in: cluster)
        case .timeout:
            let candidates = cluster.ids.filter { cluster.isUp[$0.index] && cluster[$0].role.kind != .leader }
            return candidates.randomElement(using: &random).map(Step.timeout)
        case .heartbeat: return leaders.randomElement(using: &random).map(Step.heartbeat)
        case .submit:
            submitted += 1
            return leaders.randomElement(using: &random).map { Step.submit($0, "v\(submitted)") }
        case .partition: return partitionOrHeal(in: cluster)
        case .crash: return crashOrRestart(in: cluster)
        }
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
        return up.randomElement(using: &random).map(Step.crash)
    }
}
