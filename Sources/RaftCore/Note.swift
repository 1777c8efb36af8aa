/// Why a vote was refused.
public enum VoteRefusal: Hashable, Sendable {
    /// The candidate's term is older than the voter's.
    case staleTerm(voterTerm: Int)
    /// The voter already voted for someone else this term.
    case alreadyVoted(for: ServerID)
    /// Section 5.4.1: the voter's log is more up-to-date than the candidate's.
    case logNotUpToDate(voterLastTerm: Int, voterLastIndex: Int, candidateLastTerm: Int, candidateLastIndex: Int)
    /// Pre-Vote: the voter has heard from a leader (raftscript.md section 10).
    case heardFromLeader
}

/// Why an AppendEntries was refused.
public enum AppendRefusal: Hashable, Sendable {
    /// The leader's term is older than the follower's.
    case staleTerm(followerTerm: Int)
    /// The follower has no entry at prevLogIndex.
    case missingEntry(prevLogIndex: Int, lastIndex: Int)
    /// The follower's entry at prevLogIndex has another term.
    case termMismatch(prevLogIndex: Int, prevLogTerm: Int, followerTerm: Int)
    /// A leader heard from another leader of its own term (only possible when a
    /// rule is broken); it ignores the request rather than answer.
    case twoLeaders
}

/// One protocol event, in the paper's words, for narration.
///
/// The server reports what it did and why; rendering into sentences is the
/// language layer's job, and recording is skipped when nobody listens.
public enum Note: Hashable, Sendable {
    /// A newer term in a message from `sender` made the server a follower.
    case steppedDown(from: RoleKind, term: Int, sender: ServerID)
    /// A candidate heard AppendEntries from the leader of its own term.
    case yieldedToLeader(leader: ServerID, term: Int)
    case startedElection(term: Int)
    case wonElection(term: Int, votes: Int, clusterSize: Int)
    case grantedVote(candidate: ServerID, term: Int)
    case refusedVote(candidate: ServerID, reason: VoteRefusal)
    case receivedVote(from: ServerID, granted: Bool, votes: Int, clusterSize: Int)
    case acceptedEntries(leader: ServerID, prevLogIndex: Int, count: Int, truncatedFrom: Int?)
    case refusedEntries(leader: ServerID, reason: AppendRefusal)
    case committed(through: Int, term: Int)
    /// A successful AppendEntriesResponse told the leader that `peer` stores its
    /// log through `matchIndex` (more than it knew): Figure 2's "update nextIndex
    /// and matchIndex for follower".
    case peerStores(peer: ServerID, matchIndex: Int, nextIndex: Int)
    /// Section 5.4.2 and Figure 8: the entry at `index` is stored on a majority,
    /// but it is of an earlier term than the leader's, so counting replicas does
    /// not commit it; it is committed with the first entry of the leader's own term.
    case withheldCommit(index: Int, entryTerm: Int, term: Int)
    case appendedClientEntry(index: Int, term: Int)
    /// A leader's heartbeat timer fired and it sent AppendEntries to every peer.
    case sentHeartbeats(term: Int)
    case notLeader
    case retrying(peer: ServerID, nextIndex: Int)
    case ignoredStaleResponse(from: ServerID, term: Int)
    /// Pre-Vote (thesis 9.6): an election timeout made the server a
    /// PRECANDIDATE asking for pre-votes at `term` (its own term + 1).
    case startedPreVote(term: Int)
    case grantedPreVote(candidate: ServerID, term: Int)
    case refusedPreVote(candidate: ServerID, reason: VoteRefusal)
    case receivedPreVote(from: ServerID, granted: Bool, votes: Int, clusterSize: Int)
    /// Leader stickiness (thesis 4.2.3): a RequestVote of a newer term ignored
    /// because the server has heard from a leader.
    case ignoredDisruptiveRequest(candidate: ServerID, term: Int)
    /// CheckQuorum (thesis 6.2): the leader heard from `heard` servers (itself
    /// included) since its last check.
    case checkedQuorum(heard: Int, clusterSize: Int, keepsLeading: Bool)
    /// A leader elected with CheckQuorum off counts from now on.
    case startedCountingQuorum
    /// Leadership transfer (thesis 3.10).
    case startedTransfer(target: ServerID)
    case alreadyTransferring(target: ServerID)
    case sentTimeoutNow(target: ServerID)
    case endedTransfer(target: ServerID)
    /// A client request turned away while a transfer is pending.
    case transferPending(target: ServerID)
    case receivedTimeoutNow(from: ServerID)
    case ignoredTimeoutNow(from: ServerID, term: Int)
    /// Narration in the words of a server written outside raftsh (the node
    /// protocol's `notes`).
    case remark(String)
}
