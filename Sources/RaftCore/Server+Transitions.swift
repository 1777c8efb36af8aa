/// The role changes of section 5.2 (and the thesis's PRECANDIDATE, section
/// 9.6, in `Server+PreVote`), each in one place.
extension Server {
    /// Becomes a passive follower; a newer `term` also clears the vote (Figure 2,
    /// "Rules for Servers", all servers). A leader runs no election timer, so one
    /// stepping down starts it again: a follower that hears from no leader must
    /// in time stand for election (section 5.2).
    mutating func becomeFollower(term: Int, into output: inout Output) {
        if term > currentTerm {
            currentTerm = term
            votedFor = nil
            heardFromLeader = false
        }
        if case .leader = role { output.resetsElectionTimer = true }
        role = .follower
    }

    /// Starts an election (section 5.2): a new term, a vote for itself, a fresh
    /// election timer, RequestVote to every peer. With no peers the own vote is a
    /// majority and it wins at once. `transfer`: the election a leader asked for
    /// with TimeoutNow (thesis 3.10), which leader stickiness lets through.
    /// Inlined: every election timeout starts here, and left a call when the
    /// build is optimized at link time it cost the simulate benchmark about ten
    /// instructions an event (callgrind).
    @inline(__always)
    mutating func becomeCandidate(transfer: Bool = false, into output: inout Output) {
        currentTerm += 1
        votedFor = id
        heardFromLeader = false
        role = .candidate(votes: ServerSet(CollectionOfOne(id)))
        output.resetsElectionTimer = true
        output.note(.startedElection(term: currentTerm))
        if 1 >= majority {
            becomeLeader(votes: ServerSet(CollectionOfOne(id)), into: &output)
            return
        }
        let request = RequestVote(
            term: currentTerm, candidate: id, lastLogIndex: log.lastIndex, lastLogTerm: log.lastTerm, transfer: transfer
        )
        broadcast(into: &output) { _ in .requestVote(request) }
    }

    /// Takes office (section 5.2): nextIndex just past its own log and matchIndex
    /// 0 for every peer (Figure 2, "Volatile state on leaders"), then asserts
    /// itself with AppendEntries to all of them at once. With CheckQuorum the
    /// votes that elected it are the first servers it has heard from
    /// (raftscript.md section 10).
    mutating func becomeLeader(votes: ServerSet, into output: inout Output) {
        role = .leader(Leadership(clusterSize: clusterSize, nextIndex: log.lastIndex + 1, votes: votes, countsContact: configuration.checkQuorum))
        output.note(.wonElection(term: currentTerm, votes: votes.count, clusterSize: clusterSize))
        if configuration.noop {
            appendToOwnLog(LogEntry(term: currentTerm), into: &output)
        }
        broadcastAppendEntries(into: &output)
        advanceCommitIndex(into: &output)
    }
}
