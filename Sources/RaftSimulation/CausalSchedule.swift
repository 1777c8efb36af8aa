import RaftCluster
import RaftCore

/// A failing schedule whose message steps name their message by the step that
/// sent it rather than by its place on the link, so the shrinker can remove a
/// step together with everything it caused. Removing a timeout then also
/// removes the deliveries of the RequestVotes it sent (section 5.2), of the
/// votes those deliveries sent back, and so on: a whole election at once, which
/// no single step or pair of steps can be. Every other delivery keeps its own
/// message, though its place on the link may have moved.
struct CausalSchedule {
    /// A message, named by the index of the step that put it in flight (a
    /// server's answer to a delivery, a timeout's or heartbeat's requests, a
    /// duplicate) and its place among that step's messages on the same link.
    struct Sent: Hashable {
        let step: Int
        let from: ServerID
        let to: ServerID
        let ordinal: Int
    }

    let steps: [Step]
    /// For each step, the message it delivers, drops or duplicates; nil for the others.
    let acts: [Sent?]

    /// Replays `steps` (what a replay kept, so each happens) and names the
    /// message each message step picks; one that picks none keeps its place.
    init(replaying steps: [Step], options: SimulationOptions) throws(ClusterError) {
        var cluster = try options.freshCluster()
        var trace = Trace(recording: false)
        var sends = Sends()
        var acts: [Sent?] = []
        for (index, step) in steps.enumerated() {
            var act: Sent?
            if let (from, to) = step.link, let sequence = cluster.network.sequence(from: from, to: to, position: step.position) {
                act = sends.names[sequence]
            }
            acts.append(act)
            try step.apply(to: &cluster, trace: &trace)
            sends.record(sentBy: index, in: cluster.network)
        }
        self.steps = steps
        self.acts = acts
    }

    /// Replays from a fresh cluster the steps whose index `keeps` accepts, each
    /// message step on the message it names; one whose message was never sent
    /// (its sender was removed) or is gone is skipped, like any step that cannot
    /// happen. Returns the steps that happened, positions as they were then, up
    /// to the first violation, and that violation.
    func replay(
        keeping keeps: (Int) -> Bool, options: SimulationOptions
    ) throws(ClusterError) -> (steps: [Step], violation: SafetyViolation?) {
        var cluster = try options.freshCluster()
        var trace = Trace(recording: false)
        var sends = Sends()
        var applied: [Step] = []
        for (index, step) in steps.enumerated() where keeps(index) {
            var step = step
            if let sent = acts[index] {
                guard let sequence = sends.sequences[sent], cluster.network.contains(sequence: sequence) else { continue }
                step = step.at(position: cluster.network.position(ofSequence: sequence))
            }
            guard try step.apply(to: &cluster, trace: &trace) else { continue }
            sends.record(sentBy: index, in: cluster.network)
            applied.append(step)
            if let violation = cluster.safety.violations.first { return (applied, violation) }
        }
        return (applied, nil)
    }

    /// The messages sent so far in one replay, by name and by sequence number.
    private struct Sends {
        var names: [Int: Sent] = [:]
        var sequences: [Sent: Int] = [:]
        /// The newest sequence number named; every message after it is new.
        var newest = -1

        /// Names the messages the step at `index` just put in flight, in send order.
        mutating func record(sentBy index: Int, in network: Network) {
            var ordinals: [Pair: Int] = [:]
            let before = newest
            network.forEachInFlight { message in
                guard message.sequence > before else { return }
                let pair = Pair(from: message.from, to: message.to)
                let sent = Sent(step: index, from: message.from, to: message.to, ordinal: ordinals[pair, default: 0])
                ordinals[pair, default: 0] += 1
                names[message.sequence] = sent
                sequences[sent] = message.sequence
                newest = message.sequence
            }
        }

        private struct Pair: Hashable {
            let from: ServerID
            let to: ServerID
        }
    }
}

extension Step {
    /// The link a message step picks its message from; nil for the other steps.
    var link: (from: ServerID, to: ServerID)? {
        switch self {
        case let .deliver(from, to, _), let .drop(from, to, _), let .duplicate(from, to, _): (from, to)
        case .timeout, .heartbeat, .submit, .partition, .heal, .cut, .healCut, .crash, .restart, .transfer: nil
        }
    }

    /// Where on its link a message step picks its message (0 for the other steps).
    var position: Int {
        switch self {
        case let .deliver(_, _, position), let .drop(_, _, position), let .duplicate(_, _, position): position
        case .timeout, .heartbeat, .submit, .partition, .heal, .cut, .healCut, .crash, .restart, .transfer: 0
        }
    }

    /// The same message step at another place on its link; other steps unchanged.
    func at(position: Int) -> Step {
        switch self {
        case let .deliver(from, to, _): .deliver(from: from, to: to, position: position)
        case let .drop(from, to, _): .drop(from: from, to: to, position: position)
        case let .duplicate(from, to, _): .duplicate(from: from, to: to, position: position)
        case .timeout, .heartbeat, .submit, .partition, .heal, .cut, .healCut, .crash, .restart, .transfer: self
        }
    }
}
