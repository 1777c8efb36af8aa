import RaftCluster
import RaftCore

/// Puts protocol events into the paper's words, one line each: the server, then
/// what it did and why.
///
/// Every line raftsh narrates starts with `marker`, so that it never looks like
/// a line a script author wrote with `echo` (which prints its text as it is).
struct Narrator {
    let cluster: Cluster

    /// What starts every narrated line.
    static let marker = "· "

    static func mark(_ line: String) -> String { marker + line }

    /// Where a narrated sentence starts: after the marker and the widest name.
    var sentenceColumn: Int { Self.marker.count + (cluster.names.map(\.count).max() ?? 2) + 2 }

    func lines(for events: [TraceEvent]) -> [String] {
        let width = (cluster.names.map(\.count).max() ?? 2) + 2
        var tickHeader: String?
        var lines: [String] = []
        var previous: TraceEvent?
        for event in events {
            defer { previous = event }
            if case .tick(let now) = event {
                tickHeader = "-- tick \(now)"
            } else if let line = line(for: event, after: previous, width: width) {
                if let header = tickHeader { lines.append(Self.mark(header)) }
                tickHeader = nil
                lines.append(Self.mark(line))
            }
        }
        return lines
    }

    /// A line of raftsh's own about an event of the cluster (a crash, a partition),
    /// aligned with the servers' lines.
    func event(_ text: String, by id: ServerID? = nil) -> String {
        let width = (cluster.names.map(\.count).max() ?? 2) + 2
        let name = id.map(cluster.name) ?? ""
        return Self.mark(name + String(repeating: " ", count: max(id == nil ? 0 : 1, width - name.count)) + text)
    }

    private func line(for event: TraceEvent, after previous: TraceEvent?, width: Int) -> String? {
            switch event {
            case .tick:
                return nil
            case let .note(id, note):
                // A leader weighs its commit index at every successful response; that
                // an old-term entry stays uncommitted is news only when a response has
                // just added a replica of it.
                if case .withheldCommit = note, !Self.isNewReplica(previous, at: id) { return nil }
                let name = cluster.name(id)
                return name + String(repeating: " ", count: max(1, width - name.count)) + sentence(note, by: id, after: previous)
            case .delivered, .sent:
                return nil
            case .duplicated(let envelope):
                return String(repeating: " ", count: width) + "\(envelope.message.kindName) \(cluster.name(envelope.from))->\(cluster.name(envelope.to)) duplicated: a second copy is in flight"
            case let .dropped(envelope, reason):
                let why = switch reason {
                case .partition: "partition"
                case .cut: "link cut"
                case .receiverDown: "\(cluster.name(envelope.to)) is down"
                case .dropped: "dropped"
                case .lost: "lost in transit"
                }
                return String(repeating: " ", count: width) + "\(envelope.message.kindName) \(cluster.name(envelope.from))->\(cluster.name(envelope.to)) lost (\(why))"
            }
    }

    /// Whether `event` is leader `id` learning that a peer stores more of its log.
    private static func isNewReplica(_ event: TraceEvent?, at id: ServerID) -> Bool {
        guard case let .note(server, .peerStores)? = event else { return false }
        return server == id
    }

    private func peers(of id: ServerID) -> String {
        let peers = cluster[id].peers.map(cluster.name)
        return peers.isEmpty ? "nobody" : Interpreter.summarize(Array(peers))
    }

    /// Whether `event` is what made `id` a CANDIDATE without its own timer firing:
    /// a majority of pre-votes, or a leader's TimeoutNow.
    private static func startsElectionWithoutTimeout(_ event: TraceEvent?, at id: ServerID) -> Bool {
        guard case let .note(server, note)? = event, server == id else { return false }
        switch note {
        case .receivedPreVote, .receivedTimeoutNow, .startedPreVote: return true
        default: return false
        }
    }

    private func sentence(_ note: Note, by id: ServerID, after previous: TraceEvent?) -> String {
        let n = cluster.name
        switch note {
        case let .steppedDown(role, term, sender):
            if role == .follower { return "sees term \(term) from \(n(sender)) → moves to term \(term)" }
            return "sees term \(term) from \(n(sender)) → steps down from \(role.rawValue) to FOLLOWER of term \(term)"
        case let .yieldedToLeader(leader, term):
            return "AppendEntries from \(n(leader)), LEADER of term \(term) → FOLLOWER"
        case .startedElection(let term) where Self.startsElectionWithoutTimeout(previous, at: id):
            return "→ CANDIDATE, term \(term), votes for itself, RequestVote → \(peers(of: id))"
        case .startedElection(let term):
            return "election timeout → CANDIDATE, term \(term), votes for itself, RequestVote → \(peers(of: id))"
        case let .wonElection(term, votes, size):
            return "\(votes)/\(size) votes → LEADER of term \(term), AppendEntries → \(peers(of: id))"
        case let .grantedVote(candidate, term):
            return "grants its vote to \(n(candidate)) (term \(term))"
        case let .refusedVote(candidate, reason):
            return "refuses \(n(candidate)): " + voteRefusal(reason, candidate: n(candidate))
        case let .receivedVote(from, granted, votes, size):
            return granted ? "vote from \(n(from)): \(votes)/\(size)" : "\(n(from)) refused its vote (\(votes)/\(size))"
        case let .acceptedEntries(leader, prev, count, truncatedFrom):
            let cut = truncatedFrom.map { ", cutting its log from index \($0)" } ?? ""
            if count == 0 { return "accepts AppendEntries from \(n(leader)): log matches at index \(prev)" }
            let range = count == 1 ? "entry \(prev + 1)" : "entries \(prev + 1)–\(prev + count)"
            return "accepts \(range) from \(n(leader))\(cut)"
        case let .refusedEntries(leader, reason):
            return appendRefusal(reason, leader: n(leader))
        case let .committed(through, term):
            return "commits through index \(through) (term \(term))"
        case let .peerStores(peer, matchIndex, nextIndex):
            return "\(n(peer)) stores through index \(matchIndex): matchIndex[\(n(peer))] ← \(matchIndex), nextIndex[\(n(peer))] ← \(nextIndex)"
        case let .withheldCommit(index, entryTerm, term):
            return "index \(index) is on a majority but holds an entry of term \(entryTerm), not \(term): a leader commits only entries of its own term by counting replicas (section 5.4.2), so it waits"
        case let .appendedClientEntry(index, term):
            return "appends a client entry at index \(index) (term \(term)), AppendEntries → \(peers(of: id))"
        case .sentHeartbeats(let term):
            return "heartbeat (term \(term)): AppendEntries → \(peers(of: id))"
        case .notLeader:
            return "is not LEADER: the request is not taken"
        case let .retrying(peer, nextIndex):
            return "\(n(peer)) refused: nextIndex[\(n(peer))] ← \(nextIndex), sends AppendEntries again"
        case let .ignoredStaleResponse(from, term):
            return "ignores a stale reply from \(n(from)) (term \(term))"
        case .startedPreVote(let term):
            return "election timeout → PRECANDIDATE, PreVote for term \(term) → \(peers(of: id))"
        case let .grantedPreVote(candidate, term):
            return "grants a pre-vote to \(n(candidate)) (term \(term)); its own term and vote stay as they are"
        case let .refusedPreVote(candidate, reason):
            return "refuses a pre-vote to \(n(candidate)): " + voteRefusal(reason, candidate: n(candidate))
        case let .receivedPreVote(from, granted, votes, size):
            return granted ? "pre-vote from \(n(from)): \(votes)/\(size)" : "\(n(from)) refused its pre-vote (\(votes)/\(size))"
        case let .ignoredDisruptiveRequest(candidate, term):
            return "ignores RequestVote from \(n(candidate)) (term \(term)): it has heard from a leader (leader stickiness)"
        case let .checkedQuorum(heard, size, keepsLeading):
            return keepsLeading
                ? "CheckQuorum: heard from \(heard)/\(size) since the last check → stays LEADER"
                : "CheckQuorum: heard from only \(heard)/\(size) since the last check → FOLLOWER of the same term"
        case .startedCountingQuorum:
            return "CheckQuorum: starts counting whom it hears from"
        case .startedTransfer(let target):
            return "hands leadership over to \(n(target)); takes no client request until the transfer ends"
        case .alreadyTransferring(let target):
            return "is already handing leadership over to \(n(target))"
        case .sentTimeoutNow(let target):
            return "\(n(target)) has every entry: TimeoutNow → \(n(target))"
        case .endedTransfer(let target):
            return "election timeout: the transfer to \(n(target)) ends"
        case .transferPending(let target):
            return "is handing leadership over to \(n(target)): the request is not taken"
        case .receivedTimeoutNow(let from):
            return "TimeoutNow from \(n(from)): starts an election at once"
        case let .ignoredTimeoutNow(from, term):
            return "ignores TimeoutNow from \(n(from)) (term \(term))"
        case .remark(let text):
            return text
        }
    }

    private func voteRefusal(_ reason: VoteRefusal, candidate: String) -> String {
        switch reason {
        case .staleTerm(let voterTerm):
            "its term \(voterTerm) is newer than \(candidate)'s"
        case .alreadyVoted(let other):
            "already voted for \(cluster.name(other)) this term"
        case let .logNotUpToDate(voterLastTerm, voterLastIndex, candidateLastTerm, candidateLastIndex):
            if voterLastTerm != candidateLastTerm {
                "its log (last term \(voterLastTerm)) is more up-to-date than \(candidate)'s (last term \(candidateLastTerm))"
            } else {
                "its log (last term \(voterLastTerm), length \(voterLastIndex)) is longer than \(candidate)'s (length \(candidateLastIndex))"
            }
        case .heardFromLeader:
            "it has heard from a leader"
        }
    }

    private func appendRefusal(_ reason: AppendRefusal, leader: String) -> String {
        switch reason {
        case .staleTerm(let term):
            "refuses AppendEntries from \(leader): its term \(term) is newer"
        case let .missingEntry(prevLogIndex, lastIndex):
            "refuses AppendEntries from \(leader): no entry at index \(prevLogIndex) (its log ends at \(lastIndex))"
        case let .termMismatch(prevLogIndex, prevLogTerm, followerTerm):
            "refuses AppendEntries from \(leader): its entry \(prevLogIndex) has term \(followerTerm), not \(prevLogTerm)"
        case .twoLeaders:
            "ignores AppendEntries from \(leader): it is LEADER of that term itself"
        }
    }
}
