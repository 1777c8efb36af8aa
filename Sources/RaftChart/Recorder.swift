import RaftCluster
import RaftCore
import RaftScript

/// Turns the commands of a run, as a `ScriptRunner` hands them over, into a
/// `Recording`.
///
/// The trace says when each message was handed to the network (`.sent`) and when
/// it was delivered or dropped (by sequence number, or by its contents); the
/// recorder numbers the sends as the network does, so every delivery finds the
/// row its message left from, even inside one `settle`. After each command it
/// checks its list of messages in flight against the cluster's and takes the
/// cluster's word where they differ (a command that failed half-way).
public final class Recorder: CommandObserver {
    public private(set) var recording = Recording()
    /// The message at each sequence number in flight, as the network numbers them.
    private var inFlight: [Int: Int] = [:]
    private var nextSequence = 0
    /// Sends of the current event not yet numbered: the network may still swallow them.
    private var unnumbered: [Int] = []
    /// Each server's lane, by `ServerID.index`, for the current cluster.
    private var laneOf: [Int] = []
    /// The lane states as last drawn.
    private var shown: [LaneState] = []
    private var openRow: Int?

    /// A recorder for a run that starts from `cluster`: if the first command keeps
    /// its servers, their roles are drawn from the first row.
    public init(starting cluster: Cluster? = nil) {
        startingCluster = cluster
    }

    /// The cluster before the first command.
    private let startingCluster: Cluster?

    public func observe(_ record: CommandRecord) {
        let step = recording.steps.count
        let firstRow = recording.rows.count
        let before = recording.steps.last?.cluster ?? startingCluster
        adopt(record.cluster.names)
        if step == 0, let startingCluster, startingCluster.names == record.cluster.names {
            for (lane, state) in laneStates(of: startingCluster).enumerated() { change(lane, to: state, at: 0) }
        }
        openRow = nil
        switch record.command {
        case .crash, .restart, .partition, .isolate, .heal, .cut, .healCut, .drop, .clusterOfSize, .clusterNamed, .setTerm, .setLog, .setVoted, .setCommit:
            let row = addRow(.command, lane: nil, step: step, tick: record.cluster.now)
            openRow = row
            switch record.command {
            case .clusterOfSize, .clusterNamed: abandonInFlight(at: row)
            default: break
            }
        case .echo(let text) where !text.trimmed.isEmpty:
            addRow(.caption(text), lane: nil, step: step, tick: record.cluster.now)
        default:
            break
        }
        var now = before?.now ?? 0
        for event in record.events {
            recording.eventCount += 1
            take(event, step: step, now: &now)
        }
        numberSends()
        if let failure = record.failure {
            addRow(.failure(failure), lane: nil, step: step, tick: record.cluster.now)
        }
        if let error = record.error {
            addRow(.failure("error: \(error)"), lane: nil, step: step, tick: record.cluster.now)
        }
        reconcile(with: record.cluster.network, step: step)
        let changed = laneStates(of: record.cluster)
        if changed != shown {
            if recording.rows.count == firstRow { addRow(.command, lane: nil, step: step, tick: record.cluster.now) }
            for lane in changed.indices where changed[lane] != shown[lane] {
                change(lane, to: changed[lane], at: recording.rows.count - 1)
            }
        } else if recording.rows.count == firstRow, let before, Self.visiblyDiffers(before, record.cluster) {
            addRow(.command, lane: nil, step: step, tick: record.cluster.now)
        }
        recording.steps.append(Step(
            line: record.line, location: record.location, rows: firstRow..<recording.rows.count,
            cluster: record.cluster, failure: record.failure, error: record.error, output: record.output))
    }

    /// A line that could not be carried out before it became a command (it did
    /// not parse, a sourced file is missing): a red line after the last step.
    public func observeError(_ message: String, at location: SourceLocation?) {
        let cluster = recording.steps.last?.cluster ?? startingCluster
        guard let cluster else { return }
        let row = addRow(.failure("error: \(message)"), lane: nil, step: recording.steps.count, tick: cluster.now)
        recording.steps.append(Step(
            line: "", location: location, rows: row..<row + 1, cluster: cluster, failure: nil, error: message, output: []))
    }

    // MARK: Events

    private func take(_ event: TraceEvent, step: Int, now: inout Int) {
        switch event {
        case .dropped(let envelope, let reason) where swallow(envelope, reason): return
        case .sent: break
        default: numberSends()
        }
        switch event {
        case .tick(let tick):
            now = tick
            openRow = nil
        case .delivered(let message):
            let index = inFlight.removeValue(forKey: message.sequence) ?? unknown(message.envelope, step: step, now: now)
            let row = addRow(.delivery(message: index), lane: laneOf[message.to.index], step: step, tick: now)
            recording.messages[index].end = .delivered(row: row)
            openRow = row
        case let .note(id, note):
            let row = row(at: laneOf[id.index], step: step, now: now)
            follow(note, lane: laneOf[id.index], row: row)
        case .sent(let envelope):
            let row = row(at: laneOf[envelope.from.index], step: step, now: now)
            unnumbered.append(addMessage(envelope, row: row))
        case .duplicated(let envelope):
            let row = addRow(.local, lane: laneOf[envelope.from.index], step: step, tick: now)
            let copy = addMessage(envelope, row: row)
            recording.messages[copy].isCopy = true
            unnumbered.append(copy)
            openRow = nil
        case let .dropped(envelope, reason):
            let index = oldestInFlight(envelope) ?? unknown(envelope, step: step, now: now)
            let row = openRow.flatMap { recording.rows[$0].kind == .command ? $0 : nil }
                ?? addRow(.command, lane: nil, step: step, tick: now)
            openRow = row
            recording.messages[index].end = .dropped(row: row, reason)
        }
    }

    /// A new cluster starts with an empty network, numbered from 0 again.
    private func abandonInFlight(at row: Int) {
        for index in inFlight.values { recording.messages[index].end = .abandoned(row: row) }
        inFlight = [:]
        nextSequence = 0
    }

    /// A send the network refused at once (a partition, a cut link, a down
    /// receiver): it follows its `.sent` in the same event and takes no sequence number.
    private func swallow(_ envelope: Envelope, _ reason: DropReason) -> Bool {
        guard reason == .partition || reason == .cut || reason == .receiverDown,
              let position = unnumbered.firstIndex(where: { recording.messages[$0].envelope == envelope })
        else { return false }
        let index = unnumbered[position]
        // Those before it were sent: they are numbered in order.
        for sent in unnumbered[..<position] { number(sent) }
        unnumbered.removeFirst(position + 1)
        recording.messages[index].end = .dropped(row: recording.messages[index].sentRow, reason)
        return true
    }

    private func numberSends() {
        for index in unnumbered { number(index) }
        unnumbered.removeAll()
    }

    private func number(_ index: Int) {
        inFlight[nextSequence] = index
        nextSequence += 1
    }

    /// Takes out the oldest message in flight with these contents: a drop names
    /// its message by contents alone, and copies that look alike are told apart
    /// by nothing else.
    private func oldestInFlight(_ envelope: Envelope) -> Int? {
        guard let sequence = inFlight.filter({ recording.messages[$0.value].envelope == envelope }).keys.min() else { return nil }
        return inFlight.removeValue(forKey: sequence)
    }

    /// A message the recorder never saw sent (the run began with it in flight):
    /// drawn from the current row.
    private func unknown(_ envelope: Envelope, step: Int, now: Int) -> Int {
        let row = openRow ?? addRow(.command, lane: nil, step: step, tick: now)
        return addMessage(envelope, row: row)
    }

    /// Takes the network's word on what is in flight after a command.
    private func reconcile(with network: Network, step: Int) {
        var seen = 0
        var agrees = true
        network.forEachInFlight { message in
            seen += 1
            if let index = inFlight[message.sequence], recording.messages[index].envelope == message.envelope { return }
            agrees = false
        }
        guard !agrees || seen != inFlight.count else { return }
        var kept: [Int: Int] = [:]
        network.forEachInFlight { message in
            if let index = inFlight[message.sequence], recording.messages[index].envelope == message.envelope {
                kept[message.sequence] = index
            } else {
                let row = recording.rows.indices.last ?? addRow(.command, lane: nil, step: step, tick: 0)
                kept[message.sequence] = addMessage(message.envelope, row: row)
            }
            nextSequence = max(nextSequence, message.sequence + 1)
        }
        // What the recorder thought in flight and the network does not have ends here.
        let gone = Set(inFlight.values).subtracting(kept.values)
        for index in gone { recording.messages[index].end = .abandoned(row: max(0, recording.rows.count - 1)) }
        inFlight = kept
    }

    // MARK: Rows and lanes

    /// The open row if it is this lane's, else a new local row.
    private func row(at lane: Int, step: Int, now: Int) -> Int {
        if let openRow, recording.rows[openRow].lane == lane { return openRow }
        let row = addRow(.local, lane: lane, step: step, tick: now)
        openRow = row
        return row
    }

    @discardableResult
    private func addRow(_ kind: Row.Kind, lane: Int?, step: Int, tick: Int) -> Int {
        recording.rows.append(Row(kind: kind, lane: lane, step: step, tick: tick))
        return recording.rows.count - 1
    }

    private func addMessage(_ envelope: Envelope, row: Int) -> Int {
        recording.messages.append(ChartMessage(
            from: laneOf[envelope.from.index], to: laneOf[envelope.to.index], envelope: envelope,
            sentRow: row, end: .inFlight))
        return recording.messages.count - 1
    }

    /// Gives every server of `names` a lane, new names a new one.
    private func adopt(_ names: [String]) {
        laneOf = names.map { name in
            if let lane = recording.lanes.firstIndex(of: name) { return lane }
            recording.lanes.append(name)
            shown.append(LaneState(life: .absent, term: 0))
            return recording.lanes.count - 1
        }
    }

    /// The role changes a note says, drawn at its row (the cluster's state after
    /// the command corrects anything a note does not say).
    private func follow(_ note: Note, lane: Int, row: Int) {
        let term = shown[lane].term
        switch note {
        case .startedElection(let term):
            change(lane, to: LaneState(life: .up(.candidate), term: term), at: row)
        case .wonElection(let term, _, _):
            change(lane, to: LaneState(life: .up(.leader), term: term), at: row)
        case .startedPreVote:
            change(lane, to: LaneState(life: .up(.precandidate), term: term), at: row)
        case .steppedDown(_, let term, _), .yieldedToLeader(_, let term):
            change(lane, to: LaneState(life: .up(.follower), term: term), at: row)
        case .checkedQuorum(_, _, false):
            change(lane, to: LaneState(life: .up(.follower), term: term), at: row)
        case .grantedVote(_, let newTerm) where newTerm > term:
            change(lane, to: LaneState(life: shown[lane].life, term: newTerm), at: row)
        case .grantedVote, .refusedVote, .receivedVote, .acceptedEntries, .refusedEntries, .committed,
             .appendedClientEntry, .sentHeartbeats, .notLeader, .retrying, .ignoredStaleResponse, .peerStores, .withheldCommit,
             .remark, .grantedPreVote, .refusedPreVote, .receivedPreVote, .ignoredDisruptiveRequest, .checkedQuorum,
             .startedCountingQuorum, .startedTransfer, .alreadyTransferring, .sentTimeoutNow, .endedTransfer, .transferPending,
             .receivedTimeoutNow, .ignoredTimeoutNow:
            break
        }
    }

    private func change(_ lane: Int, to state: LaneState, at row: Int) {
        guard shown[lane] != state else { return }
        shown[lane] = state
        recording.changes.append(LaneChange(row: row, lane: lane, state: state))
    }

    private func laneStates(of cluster: Cluster) -> [LaneState] {
        var states = shown.map { LaneState(life: .absent, term: $0.term) }
        for (index, lane) in laneOf.enumerated() {
            let server = cluster.servers[index]
            states[lane] = LaneState(life: cluster.isUp[index] ? .up(server.role.kind) : .down, term: server.currentTerm)
        }
        return states
    }

    /// Whether a command changed what the chart shows besides roles: logs, commit
    /// indexes, the partition.
    static func visiblyDiffers(_ a: Cluster, _ b: Cluster) -> Bool {
        a.groups != b.groups || a.names != b.names
            || zip(a.servers, b.servers).contains { $0.log != $1.log || $0.commitIndex != $1.commitIndex }
    }
}
