/// RequestVote and its response (sections 5.2 and 5.4.1).
extension Server {
    /// Figure 2, "RequestVote RPC", receiver implementation: refuse a stale term;
    /// grant the vote if votedFor is null or the candidate, and the candidate's
    /// log is at least as up-to-date as the receiver's: the voter denies its
    /// vote if its own log is more up-to-date (section 5.4.1).
    mutating func handleRequestVote(_ request: RequestVote, from sender: ServerID, into output: inout Output) {
        let refusal: VoteRefusal?
        if request.term < currentTerm {
            refusal = .staleTerm(voterTerm: currentTerm)
        } else if let vote = votedFor, vote != request.candidate, !configuration.breaks(.voteTwice) {
            refusal = .alreadyVoted(for: vote)
        } else {
            refusal = upToDateRefusal(candidateLastTerm: request.lastLogTerm, candidateLastIndex: request.lastLogIndex)
        }
        if let refusal {
            output.note(.refusedVote(candidate: request.candidate, reason: refusal))
        } else {
            votedFor = request.candidate
            output.resetsElectionTimer = true
            output.note(.grantedVote(candidate: request.candidate, term: currentTerm))
        }
        let response = RequestVoteResponse(term: currentTerm, granted: refusal == nil)
        output.messages.append(Envelope(from: id, to: sender, message: .requestVoteResponse(response)))
    }

    /// A candidate counts the vote and becomes leader with votes from a majority
    /// (section 5.2); a leader still counts late grants; a follower has no use for votes.
    mutating func handleRequestVoteResponse(_ response: RequestVoteResponse, from sender: ServerID, into output: inout Output) {
        switch role {
        case .follower, .precandidate:
            return
        case .candidate(var votes):
            if response.granted { votes.insert(sender) }
            role = .candidate(votes: votes)
            output.note(.receivedVote(from: sender, granted: response.granted, votes: votes.count, clusterSize: clusterSize))
            if votes.count >= majority {
                becomeLeader(votes: votes, into: &output)
            }
        case .leader:
            guard response.granted else { return }
            let votes = updateLeadership { leadership in
                leadership.votes.insert(sender)
                return leadership.votes.count
            }
            output.note(.receivedVote(from: sender, granted: true, votes: votes, clusterSize: clusterSize))
        }
    }

    /// Section 5.4.1: a voter refuses a candidate (for a vote or a pre-vote)
    /// whose log is less up-to-date than its own; nil when the candidate's is
    /// at least as up-to-date, or when the rule is broken on purpose. Inlined:
    /// every RequestVote asks it, and a call cost the simulate benchmark about
    /// five instructions an event (callgrind).
    @inline(__always)
    func upToDateRefusal(candidateLastTerm: Int, candidateLastIndex: Int) -> VoteRefusal? {
        guard log.isMoreUpToDate(thanLastTerm: candidateLastTerm, lastIndex: candidateLastIndex), !configuration.breaks(.noUpToDateCheck) else {
            return nil
        }
        return .logNotUpToDate(
            voterLastTerm: log.lastTerm, voterLastIndex: log.lastIndex,
            candidateLastTerm: candidateLastTerm, candidateLastIndex: candidateLastIndex
        )
    }
}
