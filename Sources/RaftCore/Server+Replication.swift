/// AppendEntries and its response (sections 5.3 and 5.4.2).
extension Server {
    /// Figure 2, "AppendEntries RPC", receiver implementation: refuse a stale
    /// term (1); refuse when the log has no entry at prevLogIndex whose term
    /// matches prevLogTerm (2); delete an existing entry that conflicts with a
    /// new one, and all that follow it (3); append any new entries not already
    /// in the log (4); raise commitIndex to min(leaderCommit, index of last new
    /// entry) (5). Entries that match are kept and the log is cut only at the
    /// first conflict, so a duplicated or late request can never remove entries
    /// the leader may already count as stored (section 5.3).
    mutating func handleAppendEntries(_ request: AppendEntries, from sender: ServerID, into output: inout Output) {
        guard request.term >= currentTerm else {
            refuseEntries(from: sender, .staleTerm(followerTerm: currentTerm), into: &output)
            return
        }
        switch role {
        case .leader:
            output.note(.refusedEntries(leader: sender, reason: .twoLeaders))
            return
        case .precandidate, .candidate:
            output.note(.yieldedToLeader(leader: sender, term: currentTerm))
            becomeFollower(term: currentTerm, into: &output)
        case .follower:
            break
        }
        output.resetsElectionTimer = true
        if configuration.keepsLeaderContact { heardFromLeader = true }

        guard let termThere = log.term(at: request.prevLogIndex) else {
            refuseEntries(from: sender, .missingEntry(prevLogIndex: request.prevLogIndex, lastIndex: log.lastIndex), into: &output)
            return
        }
        guard termThere == request.prevLogTerm else {
            refuseEntries(
                from: sender,
                .termMismatch(prevLogIndex: request.prevLogIndex, prevLogTerm: request.prevLogTerm, followerTerm: termThere),
                into: &output
            )
            return
        }

        var index = request.prevLogIndex
        var truncatedFrom: Int?
        if configuration.breaks(.truncateAlways), log.lastIndex > index {
            log.truncate(from: index + 1)
            truncatedFrom = index + 1
            output.logChanged(from: index + 1)
        }
        for entry in request.entries {
            index += 1
            if let existing = log.term(at: index) {
                if existing == entry.term { continue }
                log.truncate(from: index)
                truncatedFrom = index
            }
            log.append(entry)
            output.logChanged(from: index)
        }
        output.note(.acceptedEntries(leader: sender, prevLogIndex: request.prevLogIndex, count: request.entries.count, truncatedFrom: truncatedFrom))

        let lastNewIndex = request.prevLogIndex + request.entries.count
        let newCommitIndex = min(request.leaderCommit, lastNewIndex)
        if newCommitIndex > commitIndex {
            commitIndex = newCommitIndex
            output.note(.committed(through: commitIndex, term: currentTerm))
        }
        let response = AppendEntriesResponse(term: currentTerm, success: true, matchIndex: lastNewIndex)
        output.messages.append(Envelope(from: id, to: sender, message: .appendEntriesResponse(response)))
    }

    private mutating func refuseEntries(from sender: ServerID, _ reason: AppendRefusal, into output: inout Output) {
        output.note(.refusedEntries(leader: sender, reason: reason))
        let response = AppendEntriesResponse(term: currentTerm, success: false, matchIndex: 0)
        output.messages.append(Envelope(from: id, to: sender, message: .appendEntriesResponse(response)))
    }

    /// Figure 2, "Rules for Servers", Leaders: if successful, update nextIndex and
    /// matchIndex for the follower (and see whether an entry is now committed);
    /// if it failed because of log inconsistency, decrement nextIndex and retry.
    mutating func handleAppendEntriesResponse(_ response: AppendEntriesResponse, from sender: ServerID, into output: inout Output) {
        guard case .leader = role else { return }
        if response.success {
            let stored = min(response.matchIndex, log.lastIndex)
            let lastIndex = log.lastIndex
            let (raised, nextIndex, caughtUp) = updateLeadership { leadership in
                let raised = stored > leadership.progress[sender.index].matchIndex
                leadership.progress[sender.index].recordStored(through: stored)
                let caughtUp = leadership.transferTargetCaughtUp(sender, leaderLastIndex: lastIndex)
                return (raised, leadership.progress[sender.index].nextIndex, caughtUp)
            }
            if raised {
                output.note(.peerStores(peer: sender, matchIndex: stored, nextIndex: nextIndex))
            }
            advanceCommitIndex(into: &output)
            if caughtUp { sendTimeoutNow(into: &output) }
        } else {
            let nextIndex = updateLeadership { $0.progress[sender.index].backOff() }
            output.note(.retrying(peer: sender, nextIndex: nextIndex))
            sendAppendEntries(to: sender, into: &output)
        }
    }

    /// AppendEntries to every peer, in cluster order.
    mutating func broadcastAppendEntries(into output: inout Output) {
        guard case .leader = role else { return }
        broadcast(into: &output) { .appendEntries(appendEntries(to: $0)) }
    }

    /// AppendEntries to one peer: the retry after it refused one. Inlined: a
    /// call cost the simulate benchmark about five instructions an event when
    /// the build is optimized at link time (callgrind).
    @inline(__always)
    func sendAppendEntries(to peer: ServerID, into output: inout Output) {
        guard case .leader = role else { return }
        output.messages.append(Envelope(from: id, to: peer, message: .appendEntries(appendEntries(to: peer))))
    }

    /// AppendEntries carrying everything from the peer's nextIndex on. The
    /// leader's progress is read where it is: taken out of the role once for the
    /// whole broadcast, it would be copied (a retain and a release). Inlined into
    /// both senders: with `sendAppendEntries` inlined, the build optimized at link
    /// time kept this one a call instead (about four instructions an event).
    @inline(__always)
    private func appendEntries(to peer: ServerID) -> AppendEntries {
        guard case .leader(let leadership) = role else { preconditionFailure("only a leader sends AppendEntries") }
        let next = min(leadership.progress[peer.index].nextIndex, log.lastIndex + 1)
        let prevLogIndex = next - 1
        return AppendEntries(
            term: currentTerm,
            leader: id,
            prevLogIndex: prevLogIndex,
            prevLogTerm: log.term(at: prevLogIndex) ?? 0,
            entries: log.entries(from: next),
            leaderCommit: commitIndex
        )
    }

    mutating func appendToOwnLog(_ entry: LogEntry, into output: inout Output) {
        log.append(entry)
        output.logChanged(from: log.lastIndex)
    }

    /// Figure 2, "Rules for Servers", Leaders: if there exists an N such that
    /// N > commitIndex, a majority of matchIndex[i] ≥ N, and log[N].term ==
    /// currentTerm, set commitIndex = N (sections 5.3 and 5.4.2, Figure 8).
    ///
    /// The highest N stored on a majority is the only one to try: terms never
    /// decrease along a log, so when its entry is of an older term, so is every
    /// lower one's.
    mutating func advanceCommitIndex(into output: inout Output) {
        guard case .leader(let leadership) = role else { return }
        let n = leadership.highestIndexStoredOnMajority(leader: id, leaderLastIndex: log.lastIndex, majority: majority)
        guard n > commitIndex else { return }
        guard log.term(at: n) == currentTerm || configuration.breaks(.commitOldTerms) else {
            output.note(.withheldCommit(index: n, entryTerm: log.term(at: n) ?? 0, term: currentTerm))
            return
        }
        commitIndex = n
        output.note(.committed(through: commitIndex, term: currentTerm))
    }
}
