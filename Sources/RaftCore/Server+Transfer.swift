/// Leadership transfer (Raft thesis section 3.10; raftscript.md section 10): a
/// leader brings its target up to date, then tells it with TimeoutNow to start
/// an election at once, which it wins with the most up-to-date log.
extension Server {
    /// Starts handing leadership to `target` (a peer): TimeoutNow at once if the
    /// target has every entry, else AppendEntries first. A transfer to another
    /// target replaces a pending one; one to the pending target changes nothing.
    /// When the leader's election timer fires (its environment restarts it for a
    /// new transfer), the transfer ends.
    mutating func transferLeadership(to target: ServerID, into output: inout Output) {
        guard case .leader(let leadership) = role, target != id, target.index < clusterSize else { return }
        if leadership.transfer?.target == target {
            output.note(.alreadyTransferring(target: target))
            return
        }
        updateLeadership { $0.transfer = Leadership.Transfer(target: target, sentTimeoutNow: false) }
        output.note(.startedTransfer(target: target))
        if leadership.progress[target.index].matchIndex == log.lastIndex {
            sendTimeoutNow(into: &output)
        } else {
            sendAppendEntries(to: target, into: &output)
        }
    }

    /// TimeoutNow to the transfer's target, once.
    mutating func sendTimeoutNow(into output: inout Output) {
        let target = updateLeadership { leadership -> ServerID? in
            guard let transfer = leadership.transfer, !transfer.sentTimeoutNow else { return nil }
            leadership.transfer?.sentTimeoutNow = true
            return transfer.target
        }
        guard let target else { return }
        output.note(.sentTimeoutNow(target: target))
        output.messages.append(Envelope(from: id, to: target, message: .timeoutNow(TimeoutNow(term: currentTerm))))
    }

    /// The leader's election timer fired: a pending transfer ends (it did not
    /// take; the leader goes on leading and takes client requests again).
    mutating func endTransfer(into output: inout Output) {
        guard case .leader(let leadership) = role, let transfer = leadership.transfer else { return }
        updateLeadership { $0.transfer = nil }
        output.note(.endedTransfer(target: transfer.target))
    }

    /// A FOLLOWER told by the leader of its term to take over starts an election
    /// at once, as CANDIDATE even with Pre-Vote on, its RequestVotes marked as a
    /// transfer. Any other role, or another term, ignores it.
    mutating func handleTimeoutNow(_ request: TimeoutNow, from sender: ServerID, into output: inout Output) {
        guard case .follower = role, request.term == currentTerm else {
            output.note(.ignoredTimeoutNow(from: sender, term: request.term))
            return
        }
        output.note(.receivedTimeoutNow(from: sender))
        becomeCandidate(transfer: true, into: &output)
    }
}

extension Leadership {
    /// Whether `peer` is the target of a transfer still waiting for it to catch
    /// up, and now stores the leader's whole log: then TimeoutNow goes out.
    func transferTargetCaughtUp(_ peer: ServerID, leaderLastIndex: Int) -> Bool {
        guard let transfer, transfer.target == peer, !transfer.sentTimeoutNow else { return false }
        return progress[peer.index].matchIndex == leaderLastIndex
    }

    /// The target of the transfer in progress, if any.
    public var transferTarget: ServerID? { transfer?.target }
}
