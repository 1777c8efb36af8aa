/// Timers and client requests: the inputs that do not come from another server.
extension Server {
    /// A follower, pre-candidate or candidate starts a new election, with Pre-Vote
    /// first asking whether it could win (thesis 9.6). A leader's timer runs only
    /// with CheckQuorum on or a transfer pending: it ends the transfer (thesis
    /// 3.10) and checks that it still has a quorum (thesis 6.2). Either way the
    /// timer firing clears leader contact (a candidate's new term clears it, a
    /// pre-candidate clears it, a leader never has it set) and restarts the timer.
    mutating func electionTimeout(into output: inout Output) {
        switch role {
        case .follower, .precandidate, .candidate:
            if configuration.prevote {
                becomePrecandidate(into: &output)
            } else {
                becomeCandidate(into: &output)
            }
        case .leader:
            output.resetsElectionTimer = true
            endTransfer(into: &output)
            if configuration.checkQuorum { checkQuorum(into: &output) }
        }
    }

    /// A leader repeats AppendEntries to every peer, which is also how it retries
    /// entries a peer has not acknowledged.
    mutating func heartbeatTimeout(into output: inout Output) {
        guard case .leader = role else { return }
        output.note(.sentHeartbeats(term: currentTerm))
        broadcastAppendEntries(into: &output)
    }

    /// Only a leader accepts client commands; it appends one entry and replicates
    /// it at once. A leader handing over takes none (thesis 3.10): its target
    /// could not catch up while its log grows.
    mutating func clientRequest(_ value: String, into output: inout Output) {
        guard case .leader(let leadership) = role else {
            output.note(.notLeader)
            return
        }
        if let transfer = leadership.transfer {
            output.note(.transferPending(target: transfer.target))
            return
        }
        appendToOwnLog(LogEntry(term: currentTerm, value: value), into: &output)
        output.note(.appendedClientEntry(index: log.lastIndex, term: currentTerm))
        broadcastAppendEntries(into: &output)
        advanceCommitIndex(into: &output)
    }
}
