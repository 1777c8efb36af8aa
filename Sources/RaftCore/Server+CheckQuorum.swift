/// CheckQuorum (Raft thesis section 6.2) and leader stickiness (section 4.2.3;
/// raftscript.md section 10): a leader cut off from a majority steps down, and
/// a server that hears from a leader does not let a disruptive candidate depose it.
extension Server {
    /// With CheckQuorum on, a server that has heard from a leader ignores a
    /// RequestVote of a newer term, unless a transfer asked for that election.
    func ignoresForStickiness(_ message: Message) -> Bool {
        guard configuration.checkQuorum, case .requestVote(let request) = message else { return false }
        return !request.transfer && request.term > currentTerm && hasLeaderContact
    }

    /// A leader notes each server it hears from in its own term (itself too,
    /// which also marks that it is counting).
    mutating func recordContact(from peer: ServerID) {
        guard case .leader = role else { return }
        let own = id
        updateLeadership { leadership in
            guard !leadership.progress[peer.index].heardSinceCheck else { return }
            leadership.progress[peer.index].heardSinceCheck = true
            leadership.progress[own.index].heardSinceCheck = true
        }
    }

    /// The leader's election timer fired: short of hearing from a majority since
    /// the last check (itself included) it becomes a FOLLOWER of the same term;
    /// either way it forgets whom it heard from. A leader that was not counting
    /// (elected with CheckQuorum off) starts counting now, with no verdict.
    mutating func checkQuorum(into output: inout Output) {
        let own = id
        let heard = updateLeadership { leadership -> Int? in
            let counted = leadership.progress[own.index].heardSinceCheck ? leadership.progress.count(where: \.heardSinceCheck) : nil
            for index in leadership.progress.indices {
                leadership.progress[index].heardSinceCheck = index == own.index
            }
            return counted
        }
        guard let heard else {
            output.note(.startedCountingQuorum)
            return
        }
        let keeps = heard >= majority
        output.note(.checkedQuorum(heard: heard, clusterSize: clusterSize, keepsLeading: keeps))
        if !keeps {
            becomeFollower(term: currentTerm, into: &output)
        }
    }
}
