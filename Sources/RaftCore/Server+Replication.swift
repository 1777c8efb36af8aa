/// AppendEntries and its response (sections 5.3 and 5.4.2).
extension Server {
    /// The consistency check, then the merge: entries that match are kept and the
    /// log is cut only at the first conflict, so a duplicated or late request can
    /// never remove entries the leader may already count as stored.
    mutating func handleAppendEntries(_ request: AppendEntries, from sender: ServerID, into output: inout Output) {
        guard request.term >= currentTerm else {
            refuseEntries(from: sender, .staleTerm(followerTerm: currentTerm), into: &output)
            return
        }
        switch role {
        case .leader:
            output.note(.refusedEntries(leader: sender, reason: .twoLeaders))
            return
        case .candidate:
            output.note(.yieldedToLeader(leader: sender, term: currentTerm))
            becomeFollower(term: currentTerm)
        case .follower:
            break
        }
        output.resetsElectionTimer = true

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

    /// On success the leader raises what it knows the peer stores and may commit;
    /// on failure it backs nextIndex off by one and tries again at once.
    mutating func handleAppendEntriesResponse(_ response: AppendEntriesResponse, from sender: ServerID, into output: inout Output) {
        guard case .leader(var leadership) = role else { return }
        role = .follower  // releases the enum's copy so the arrays are mutated in place
        let peer = sender.index
        if response.success {
            let stored = min(response.matchIndex, log.lastIndex)
            let raised = stored > leadership.progress[peer].matchIndex
            leadership.progress[peer].matchIndex = max(leadership.progress[peer].matchIndex, stored)
            leadership.progress[peer].nextIndex = max(leadership.progress[peer].nextIndex, stored + 1)
            role = .leader(leadership)
            if raised {
                output.note(.peerStores(peer: sender, matchIndex: stored, nextIndex: leadership.progress[peer].nextIndex))
            }
            advanceCommitIndex(into: &output)
        } else {
            leadership.progress[peer].nextIndex = max(1, leadership.progress[peer].nextIndex - 1)
            role = .leader(leadership)
            output.note(.retrying(peer: sender, nextIndex: leadership.progress[peer].nextIndex))
            sendAppendEntries(to: sender, into: &output)
        }
    }

    /// AppendEntries to every peer, in cluster order.
    mutating func broadcastAppendEntries(into output: inout Output) {
        guard case .leader = role else { return }
        broadcast(into: &output) { .appendEntries(appendEntries(to: $0)) }
    }

    /// AppendEntries to one peer: the retry after it refused one.
    func sendAppendEntries(to peer: ServerID, into output: inout Output) {
        guard case .leader = role else { return }
        output.messages.append(Envelope(from: id, to: peer, message: .appendEntries(appendEntries(to: peer))))
    }

    /// AppendEntries carrying everything from the peer's nextIndex on. The
    /// leader's progress is read where it is: taken out of the role once for the
    /// whole broadcast, it would be copied (a retain and a release).
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

    /// Section 5.4.2: commit the highest index stored on a majority, but only if
    /// its entry is of the current term (Figure 8). Terms never decrease along a
    /// log, so when the majority index is of an older term, no lower one qualifies.
    mutating func advanceCommitIndex(into output: inout Output) {
        guard case .leader(let leadership) = role else { return }
        let quorumIndex = withUnsafeTemporaryAllocation(of: Int.self, capacity: clusterSize) { buffer in
            var stored = buffer
            for i in 0..<clusterSize {
                stored[i] = i == id.index ? log.lastIndex : leadership.progress[i].matchIndex
            }
            // Ascending, and the majority-th highest counted from the end: sorting
            // by `>` calls a closure per comparison unless the build is optimized
            // at link time.
            stored.sort()
            return stored[clusterSize - majority]
        }
        guard quorumIndex > commitIndex else { return }
        guard let entryTerm = log.term(at: quorumIndex), entryTerm == currentTerm || configuration.breaks(.commitOldTerms) else {
            output.note(.withheldCommit(index: quorumIndex, entryTerm: log.term(at: quorumIndex) ?? 0, term: currentTerm))
            return
        }
        commitIndex = quorumIndex
        output.note(.committed(through: commitIndex, term: currentTerm))
    }
}
