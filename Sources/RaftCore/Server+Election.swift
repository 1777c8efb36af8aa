/// RequestVote and its response (sections 5.2 and 5.4.1).
extension Server {
    /// Grants at most one vote per term, and only to a candidate whose log is at
    /// least as up-to-date as the voter's.
    mutating func handleRequestVote(_ request: RequestVote, from sender: ServerID, into output: inout Output) {
        let refusal: VoteRefusal?
        if request.term < currentTerm {
            refusal = .staleTerm(voterTerm: currentTerm)
        } else if let vote = votedFor, vote != request.candidate, !configuration.breaks(.voteTwice) {
            refusal = .alreadyVoted(for: vote)
        } else if !configuration.breaks(.noUpToDateCheck),
            !log.isNotNewer(thanLastTerm: request.lastLogTerm, lastIndex: request.lastLogIndex)
        {
            refusal = .logNotUpToDate(
                voterLastTerm: log.lastTerm, voterLastIndex: log.lastIndex,
                candidateLastTerm: request.lastLogTerm, candidateLastIndex: request.lastLogIndex
            )
        } else {
            refusal = nil
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

    /// A candidate counts the vote and wins with a majority; a leader still counts
    /// late grants; a follower has no use for votes.
    mutating func handleRequestVoteResponse(_ response: RequestVoteResponse, from sender: ServerID, into output: inout Output) {
        switch role {
        case .follower:
            return
        case .candidate(var votes):
            if response.granted { votes.insert(sender) }
            role = .candidate(votes: votes)
            output.note(.receivedVote(from: sender, granted: response.granted, votes: votes.count, clusterSize: clusterSize))
            if votes.count >= majority {
                becomeLeader(votes: votes, into: &output)
            }
        case .leader(var leadership):
            guard response.granted else { return }
            role = .follower  // releases the enum's copy so the arrays are mutated in place
            leadership.votes.insert(sender)
            role = .leader(leadership)
            output.note(.receivedVote(from: sender, granted: true, votes: leadership.votes.count, clusterSize: clusterSize))
        }
    }
}
