/// A request to set a server's state that would break one of its invariants.
public enum StateError: Error, Hashable, Sendable {
    /// currentTerm may not fall below the term of the last log entry.
    case termBelowLastLogTerm(term: Int, lastLogTerm: Int)
    /// Terms along a log never decrease.
    case decreasingLogTerms(index: Int, term: Int, previousTerm: Int)
    case negativeTerm(Int)
    /// The commit index must point into the log.
    case commitIndexOutOfRange(commitIndex: Int, lastIndex: Int)
    case unknownServer(ServerID)
}

/// Setting state directly, to start a scenario where the paper's figures start.
/// None of these sends a message or changes the role.
extension Server {
    /// Sets currentTerm and clears votedFor, as any change of term does.
    public mutating func setCurrentTerm(_ term: Int) throws(StateError) {
        guard term >= 0 else { throw .negativeTerm(term) }
        guard term >= log.lastTerm else { throw .termBelowLastLogTerm(term: term, lastLogTerm: log.lastTerm) }
        if term != currentTerm { heardFromLeader = false }
        currentTerm = term
        votedFor = nil
    }

    /// Replaces the log; raises currentTerm to its last term if needed. The commit
    /// index and a leader's per-peer indexes are clamped into the new log.
    public mutating func setLog(_ newLog: Log) throws(StateError) {
        var previousTerm = 0
        for (offset, entry) in newLog.entries.enumerated() {
            guard entry.term >= 0 else { throw .negativeTerm(entry.term) }
            guard entry.term >= previousTerm else {
                throw .decreasingLogTerms(index: offset + 1, term: entry.term, previousTerm: previousTerm)
            }
            previousTerm = entry.term
        }
        log = newLog
        if log.lastTerm > currentTerm {
            currentTerm = log.lastTerm
            votedFor = nil
            heardFromLeader = false
        }
        commitIndex = min(commitIndex, log.lastIndex)
        if case .leader = role {
            let lastIndex = log.lastIndex
            updateLeadership { leadership in
                for peer in leadership.progress.indices {
                    leadership.progress[peer].nextIndex = min(leadership.progress[peer].nextIndex, lastIndex + 1)
                    leadership.progress[peer].matchIndex = min(leadership.progress[peer].matchIndex, lastIndex)
                }
            }
        }
    }

    public mutating func setVotedFor(_ candidate: ServerID?) throws(StateError) {
        if let candidate, candidate.index >= clusterSize { throw .unknownServer(candidate) }
        votedFor = candidate
    }

    public mutating func setCommitIndex(_ index: Int) throws(StateError) {
        guard index >= 0, index <= log.lastIndex else {
            throw .commitIndexOutOfRange(commitIndex: index, lastIndex: log.lastIndex)
        }
        commitIndex = index
    }
}
