/// Timers and client requests: the inputs that do not come from another server.
extension Server {
    /// A follower or candidate starts a new election; a leader has no election timer.
    mutating func electionTimeout(into output: inout Output) {
        switch role {
        case .follower, .candidate:
            becomeCandidate(into: &output)
        case .leader:
            break
        }
    }

    /// A leader repeats AppendEntries to every peer, which is also how it retries
    /// entries a peer has not acknowledged.
    mutating func heartbeatTimeout(into output: inout Output) {
        guard case .leader = role else { return }
        output.note(.sentHeartbeats(term: currentTerm))
        broadcastAppendEntries(into: &output)
    }

    /// Only a leader accepts client commands; it appends one entry and replicates it at once.
    mutating func clientRequest(_ value: String, into output: inout Output) {
        guard case .leader = role else {
            output.note(.notLeader)
            return
        }
        appendToOwnLog(LogEntry(term: currentTerm, value: value), into: &output)
        output.note(.appendedClientEntry(index: log.lastIndex, term: currentTerm))
        broadcastAppendEntries(into: &output)
        advanceCommitIndex(into: &output)
    }
}
