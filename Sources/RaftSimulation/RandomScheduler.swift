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
    /// `options.duplicate` and `options.loss`, ready to draw against.
    private let duplicate: Chance
    private let loss: Chance
    /// Whether the last step found a live LEADER, the step since which none has
    /// been found, and the longest such stretch that has ended. Written only when
    /// the answer changes, which few steps see: counting every step without a
    /// leader cost the simulate benchmark about six instructions an event (callgrind).
    private var sawLeader = true
    private var leaderlessSince = 0
    private var longestEndedWithoutLeader = 0
    /// `options.leadersTimeOut`, read once: the options are a large value.
    private let leadersTimeOut: Bool

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
        /// Partitions and heals, and with `--cuts` link cuts and heals: one weight,
        /// so that the choice between them is made only when one of them is picked.
        var partition: Int
        var crash: Int
        /// The part of `partition` that cuts or heals a link.
        var cut = 0
        var transfer: Int
        /// What every kind of event but deliveries weighs together, with a live
        /// LEADER and without one: summed once a run rather than at every step,
        /// where adding seven weights, each checked for overflow, cost about ten
        /// instructions (callgrind).
        private(set) var allButDeliveryWithLeader = 0
        private(set) var allButDeliveryWithoutLeader = 0
        /// The same with deliveries, for a step with messages in flight: summed
        /// once a run rather than adding `deliver`, checked for overflow, at
        /// every such step (`Simulation.play` says what this saved together with
        /// its own change, measured with link-time optimization).
        private(set) var allWithLeader = 0
        private(set) var allWithoutLeader = 0

        /// Drawn whatever the options, so that the draws after them do not depend on
        /// the options; the kinds of event the options leave out then weigh nothing.
        init(using random: inout SeededGenerator, options: SimulationOptions) {
            timeoutWithoutLeader = random.draw(1...4)
            timeoutWithLeader = random.draw(1...3)
            // Every timeout sends a RequestVote to each of the other servers, so a
            // fixed share of deliveries leaves a large cluster's network growing by
            // about size² messages per round of timeouts (a 1000-server run of 10⁶
            // events held tens of millions, gigabytes). A real network delivers each
            // message long before the next election timeout, whatever the size: the
            // share of deliveries grows with the messages a timeout sends, as in a
            // 5-server cluster (unchanged up to 8 servers, so their seeds replay).
            deliver = random.draw(30...100) * max(1, (options.servers - 1) / 4)
            heartbeat = random.draw(1...6)
            submit = random.draw(2...10)
            partition = random.draw(0...2)
            crash = random.draw(1...6)
            // Drawn last, and only when asked for, so that runs without transfers
            // draw as they always did.
            transfer = options.transfers ? random.draw(1...3) : 0
            if !options.clients { submit = 0 }
            if !options.partitions { partition = 0 }
            if !options.crashes { crash = 0 }
            // Drawn only when on, after the others: a run without `--cuts` draws
            // what it drew before cuts existed, so its seed means the same run.
            if options.cuts {
                cut = random.draw(1...3)
                partition += cut
            }
            // Without a leader a transfer is drawn and comes to nothing, as a heartbeat
            // would not: leaving it out then would cost every step a question.
            allButDeliveryWithLeader = timeoutWithLeader + heartbeat + submit + partition + crash + transfer
            allButDeliveryWithoutLeader = timeoutWithoutLeader + partition + crash + transfer
            allWithLeader = deliver + allButDeliveryWithLeader
            allWithoutLeader = deliver + allButDeliveryWithoutLeader
        }
    }

    init(options: SimulationOptions, seed: UInt64) {
        self.options = options
        random = SeededGenerator(seed: seed)
        weights = Weights(using: &random, options: options)
        duplicate = Chance(options.duplicate)
        loss = Chance(options.loss)
        leadersTimeOut = options.leadersTimeOut
    }

    /// What the scheduler chose: a plain value (no strings or arrays), because one
    /// is made per event. A message step names its message by sequence number, so
    /// it applies without walking the link, and a partition names its group as a
    /// set; only a recorded schedule pays for turning a choice into a `Step`.
    enum Choice {
        case timeout(ServerID)
        case heartbeat(ServerID)
        /// The run's `number`-th client request; its value is `Step.clientValue(number)`.
        case submit(ServerID, number: Int)
        case deliver(sequence: Int)
        case drop(sequence: Int)
        case duplicate(sequence: Int)
        case crash(ServerID)
        case restart(ServerID)
        case transfer(ServerID, to: ServerID)
        /// These servers apart from the others.
        case partition(ServerSet)
        case heal
        case cut(from: ServerID, to: ServerID)
        case healCut(from: ServerID, to: ServerID)

        /// The step as a schedule records it, in the state it was chosen in.
        func step(in cluster: Cluster) -> Step {
            func link(_ sequence: Int) -> (ServerID, ServerID, Int) {
                let message = cluster.network[sequence]!
                return (message.from, message.to, cluster.network.position(ofSequence: sequence))
            }
            switch self {
            case .timeout(let id): return .timeout(id)
            case .heartbeat(let id): return .heartbeat(id)
            case let .submit(id, number): return .submit(id, Step.clientValue(number))
            case .deliver(let sequence):
                let (from, to, position) = link(sequence)
                return .deliver(from: from, to: to, position: position)
            case .drop(let sequence):
                let (from, to, position) = link(sequence)
                return .drop(from: from, to: to, position: position)
            case .duplicate(let sequence):
                let (from, to, position) = link(sequence)
                return .duplicate(from: from, to: to, position: position)
            case .crash(let id): return .crash(id)
            case .restart(let id): return .restart(id)
            case let .transfer(id, target): return .transfer(id, to: target)
            case .partition(let group): return .partition([group.members])
            case .heal: return .heal
            case let .cut(from, to): return .cut(from: from, to: to)
            case let .healCut(from, to): return .healCut(from: from, to: to)
            }
        }

        /// Carries the choice out, as `Step.apply` would; false (and no change) when
        /// it cannot happen. A server program's failure is thrown, never taken for that.
        /// Inlined into the run's loop with the events of every step (deliveries,
        /// timers, requests) and crashes and restarts, about a fifth of all events;
        /// the rare ones that change the network or start a transfer are carried
        /// out of line (`applyRare`), so the loop stays small. `ownServers`: the
        /// cluster's servers are raftsh's own, whose deliveries cannot fail
        /// (`Cluster.deliverToOwnServer`).
        @inline(__always)
        func apply(to cluster: inout Cluster, trace: inout Trace, ownServers: Bool = false) throws(ClusterError) -> Bool {
            do {
                switch self {
                case .timeout(let id): try cluster.timeout(id, trace: &trace)
                case .heartbeat(let id): try cluster.heartbeat(id, trace: &trace)
                case let .submit(id, number):
                    guard case .appended = try cluster.submit(Step.clientValue(number), to: id, trace: &trace) else { return false }
                case .deliver(let sequence):
                    if ownServers {
                        cluster.deliverToOwnServer(sequence: sequence, trace: &trace)
                    } else {
                        try cluster.deliver(sequence: sequence, trace: &trace)
                    }
                case .drop(let sequence): cluster.drop(sequence: sequence, trace: &trace)
                case .duplicate(let sequence): cluster.duplicate(sequence: sequence, trace: &trace)
                case .crash(let id): try cluster.crash(id, trace: &trace)
                case .restart(let id): try cluster.restart(id)
                case .transfer, .partition, .heal, .cut, .healCut:
                    return try applyRare(to: &cluster, trace: &trace)
                }
                return true
            } catch {
                if case .program = error { throw error }
                return false
            }
        }

        @inline(never)
        private func applyRare(to cluster: inout Cluster, trace: inout Trace) throws(ClusterError) -> Bool {
            switch self {
            case let .transfer(id, target): try cluster.transfer(id, to: target, trace: &trace)
            case .partition(let group): cluster.partition(isolating: group, trace: &trace)
            case .heal: cluster.heal()
            case let .cut(from, to): return try cluster.cut(from: from, to: to, trace: &trace)
            case let .healCut(from, to): return cluster.heal(from: from, to: to)
            case .timeout, .heartbeat, .submit, .deliver, .drop, .duplicate, .crash, .restart: preconditionFailure("carried out inline")
            }
            return true
        }
    }

    /// The longest stretch of consecutive steps, of the first `steps`, that found
    /// no live LEADER (a stretch still going at the end counts up to there).
    func longestWithoutLeader(inFirst steps: Int) -> Int {
        sawLeader ? longestEndedWithoutLeader : max(longestEndedWithoutLeader, steps - leaderlessSince)
    }

    /// A step (numbered from 0) found a live LEADER where the one before did not,
    /// or none where the one before did: a stretch without a leader ends or begins.
    @inline(never)
    private mutating func leaderChanged(to hasLeader: Bool, atStep step: Int) {
        if hasLeader {
            longestEndedWithoutLeader = max(longestEndedWithoutLeader, step - leaderlessSince)
        } else {
            leaderlessSince = step
        }
        sawLeader = hasLeader
    }

    /// The choice of the run's `step`-th step (numbered from 0, one a call).
    /// Inlined into the run's loop, and given the cluster `inout` although it only
    /// reads it: passed by value, the cluster is copied (all 233 bytes) at every step.
    @inline(__always)
    mutating func next(in cluster: inout Cluster, step: Int) -> Choice? {
        let hasLeader = cluster.hasLiveLeader
        if hasLeader != sawLeader { leaderChanged(to: hasLeader, atStep: step) }
        let timeout = hasLeader ? weights.timeoutWithLeader : weights.timeoutWithoutLeader
        let inFlight = !cluster.network.isEmpty
        let deliver = inFlight ? weights.deliver : 0
        let heartbeat = hasLeader ? weights.heartbeat : 0
        let submit = hasLeader ? weights.submit : 0
        let partition = weights.partition
        let transfer = weights.transfer
        // Crashes and restarts take what is left of the total.
        var pick = random.below(
            inFlight
                ? (hasLeader ? weights.allWithLeader : weights.allWithoutLeader)
                : (hasLeader ? weights.allButDeliveryWithLeader : weights.allButDeliveryWithoutLeader))
        if pick < deliver { return delivery(in: &cluster) }
        pick -= deliver
        if pick < timeout {
            if leadersTimeOut { return timerOfAnyRole(in: &cluster).map(Choice.timeout) }
            return randomServer(of: cluster.size, among: cluster.upCount - cluster.liveLeaderCount) {
                cluster.isUp[$0.index] && !cluster.isLiveLeader($0)
            }.map(Choice.timeout)
        }
        pick -= timeout
        if pick < heartbeat { return randomLeader(of: &cluster).map(Choice.heartbeat) }
        pick -= heartbeat
        if pick < submit {
            submitted += 1
            return randomLeader(of: &cluster).map { .submit($0, number: submitted) }
        }
        pick -= submit
        if pick < partition { return pick < weights.cut ? cutOrHeal(in: &cluster) : partitionOrHeal(in: &cluster) }
        pick -= partition
        if pick < transfer { return leadershipTransfer(in: &cluster) }
        return crashOrRestart(in: &cluster, hasLeader: hasLeader)
    }

    /// A live server whose election timer runs, a LEADER's included (with
    /// CheckQuorum on or a transfer pending: raftscript.md section 10). Never
    /// inlined, so that runs without the options keep `next` as small as it was.
    @inline(never)
    private mutating func timerOfAnyRole(in cluster: inout Cluster) -> ServerID? {
        let runs = { (id: ServerID) in cluster.isUp[id.index] && (!cluster.isLiveLeader(id) || cluster.leaderRunsElectionTimer(id)) }
        return randomServer(of: cluster.size, among: cluster.ids.count(where: runs), where: runs)
    }

    /// A live leader hands leadership to any other server (up or not). Never inlined, as above.
    @inline(never)
    private mutating func leadershipTransfer(in cluster: inout Cluster) -> Choice? {
        guard cluster.size > 1, let leader = randomLeader(of: &cluster) else { return nil }
        let other = random.below(cluster.size - 1)
        return .transfer(leader, to: ServerID(other < leader.index ? other : other + 1))
    }

    /// The server `cluster.ids.filter(matches).randomElement(using:)` would pick
    /// in a cluster of `size` servers, with the same draw, without building the
    /// array; `count` servers match (the cluster keeps the counts, so no pass is
    /// spent counting them). Given the size, not the cluster: the closures that
    /// match read the cluster, which the helpers below hold `inout`.
    private mutating func randomServer(
        of size: Int, among count: Int, where matches: (ServerID) -> Bool
    ) -> ServerID? {
        guard count > 0 else { return nil }
        let ids = (0..<size).lazy.map(ServerID.init)
        var remaining = random.below(count)
        for id in ids where matches(id) {
            if remaining == 0 { return id }
            remaining -= 1
        }
        return nil
    }

    /// The helpers below take the cluster `inout`, as `next` does, for its reason:
    /// passed by value it was copied on each call (callgrind: about 19
    /// instructions an event in `memcpy`).
    private mutating func randomLeader(of cluster: inout Cluster) -> ServerID? {
        randomServer(of: cluster.size, among: cluster.liveLeaderCount) { cluster.isLiveLeader($0) }
    }

    /// Any message in flight, then what becomes of it.
    private mutating func delivery(in cluster: inout Cluster) -> Choice? {
        guard let sequence = cluster.network.randomSequence(using: &random, tries: 8) else { return nil }
        if random.chance(duplicate) { return .duplicate(sequence: sequence) }
        if random.chance(loss) { return .drop(sequence: sequence) }
        return .deliver(sequence: sequence)
    }

    /// When the network is split, a heal half the time; otherwise 1 to size − 1
    /// servers, cut off from the others. (Not private: a test checks its draws.)
    mutating func partitionOrHeal(in cluster: inout Cluster) -> Choice {
        if cluster.groups != nil, random.coinFlip() { return .heal }
        // The first `cut` servers of `cluster.ids.shuffled(using:)`, with the same
        // draws, shuffled in a buffer on the stack.
        let size = cluster.size
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: size) { order in
            for index in order.indices { order[index] = index }
            for (current, remaining) in zip(order.indices, stride(from: size, to: 1, by: -1)) {
                order.swapAt(current, current + random.below(remaining))
            }
            var group = ServerSet()
            for index in order.prefix(1 + random.below(max(2, size) - 1)) { group.insert(ServerID(index)) }
            return .partition(group)
        }
    }

    /// When a link is cut, the heal of one half the time; otherwise a cut of a
    /// link, one way (either one, cut already or not). Nil in a one-server cluster.
    private mutating func cutOrHeal(in cluster: inout Cluster) -> Choice? {
        let size = cluster.size
        guard size > 1 else { return nil }
        if !cluster.cuts.isEmpty, random.coinFlip() {
            let links = cluster.cuts.links
            let link = links[random.below(links.count)]
            return .healCut(from: link.from, to: link.to)
        }
        let from = random.below(size)
        let to = (from + 1 + random.below(size - 1)) % size
        return .cut(from: ServerID(from), to: ServerID(to))
    }

    /// Inlined by force into `next`, its one caller: left a call when the build
    /// is not optimized at link time, it cost about 20 instructions per event.
    @inline(__always)
    private mutating func crashOrRestart(in cluster: inout Cluster, hasLeader: Bool) -> Choice? {
        let down = cluster.size - cluster.upCount
        if down > 0, cluster.upCount == 0 || random.coinFlip() {
            return randomServer(of: cluster.size, among: down) { !cluster.isUp[$0.index] }.map(Choice.restart)
        }
        // Leaders are the interesting servers to lose: half the crashes pick one.
        if hasLeader, random.coinFlip() {
            return randomLeader(of: &cluster).map(Choice.crash)
        }
        return randomServer(of: cluster.size, among: cluster.upCount) { cluster.isUp[$0.index] }.map(Choice.crash)
    }
}
