/// Pre-Vote (Raft thesis section 9.6; raftscript.md section 10): before an
/// election a server asks whether it could win one, so that a server that
/// cannot — cut off, or behind — disturbs nobody with a newer term.
extension Server {
    /// An election timeout with Pre-Vote on: a new round (earlier pre-votes
    /// forgotten) that keeps term and vote and asks every peer for a pre-vote at
    /// term + 1. With no peers its own pre-vote is a majority.
    mutating func becomePrecandidate(into output: inout Output) {
        heardFromLeader = false
        role = .precandidate(votes: ServerSet(CollectionOfOne(id)))
        output.resetsElectionTimer = true
        output.note(.startedPreVote(term: currentTerm + 1))
        if 1 >= majority {
            becomeCandidate(into: &output)
            return
        }
        let request = PreVote(term: currentTerm + 1, candidate: id, lastLogIndex: log.lastIndex, lastLogTerm: log.lastTerm)
        broadcast(into: &output) { _ in .preVote(request) }
    }

    /// Neither a PreVote nor a granted PreVoteResponse moves its receiver to the
    /// newer term it carries: asking costs nobody anything. A refusal carries
    /// the refuser's own term, and a newer one demotes like any message.
    static func leavesTermAlone(_ message: Message) -> Bool {
        switch message {
        case .preVote: true
        case .preVoteResponse(let response): response.granted
        case .requestVote, .requestVoteResponse, .appendEntries, .appendEntriesResponse, .timeoutNow: false
        }
    }

    /// A receiver refuses a PreVote of an older term; otherwise it grants it when
    /// it has not heard from a leader and the candidate's log is at least as
    /// up-to-date as its own (section 5.4.1), whatever its own vote. It changes
    /// nothing of its own: not its term, vote, role or timer.
    mutating func handlePreVote(_ request: PreVote, from sender: ServerID, into output: inout Output) {
        let refusal: VoteRefusal?
        if request.term < currentTerm {
            refusal = .staleTerm(voterTerm: currentTerm)
        } else if hasLeaderContact {
            refusal = .heardFromLeader
        } else {
            refusal = upToDateRefusal(candidateLastTerm: request.lastLogTerm, candidateLastIndex: request.lastLogIndex)
        }
        if let refusal {
            output.note(.refusedPreVote(candidate: request.candidate, reason: refusal))
        } else {
            output.note(.grantedPreVote(candidate: request.candidate, term: request.term))
        }
        let response = PreVoteResponse(term: refusal == nil ? request.term : currentTerm, granted: refusal == nil)
        output.messages.append(Envelope(from: id, to: sender, message: .preVoteResponse(response)))
    }

    /// A pre-candidate counts a grant for the term it asks about (term + 1: a
    /// late grant of an earlier round of the same term counts too) and with a
    /// majority, its own included, starts the real election at once.
    mutating func handlePreVoteResponse(_ response: PreVoteResponse, from sender: ServerID, into output: inout Output) {
        guard case .precandidate(var votes) = role else { return }
        guard response.granted else {
            output.note(.receivedPreVote(from: sender, granted: false, votes: votes.count, clusterSize: clusterSize))
            return
        }
        guard response.term == currentTerm + 1 else { return }
        votes.insert(sender)
        role = .precandidate(votes: votes)
        output.note(.receivedPreVote(from: sender, granted: true, votes: votes.count, clusterSize: clusterSize))
        if votes.count >= majority {
            becomeCandidate(into: &output)
        }
    }
}
