#!/usr/bin/env python3
"""Raft leader election, with log replication, as a raftsh node.

Written the way the course brief frames it: a `RaftState` class, the three
role transitions `become_follower`, `become_candidate`, `become_leader`, and
one handler per event and message. Each edge case of the brief sits in its own
few lines with a comment naming the rule and where the paper states it
("the paper" is the extended version of "In Search of an Understandable
Consensus Algorithm", Ongaro and Ousterhout). Replication follows section 3a
of raftsh's language reference, so the whole scenario library runs against it:

    raftsh --node "python3 examples/python/leader_election.py"
    raftsh test --node "python3 examples/python/leader_election.py" scripts

raftsh keeps every server's state and hands it over for each step (see
raftnode.py): nothing here is remembered between steps, nothing depends on
time or chance, and peers are always visited in cluster order.

The election extensions of raftscript.md section 10 (Pre-Vote, CheckQuorum,
leadership transfer) are in the last part of the class; each is off unless
its option is on (or, for a transfer, asked for), and then the rest runs as
if they were not there.
"""

import raftnode
from raftnode import (append_entries, append_entries_response, pre_vote, pre_vote_response, request_vote,
                      request_vote_response, timeout_now)

FOLLOWER = "FOLLOWER"
CANDIDATE = "CANDIDATE"
LEADER = "LEADER"
PRECANDIDATE = "PRECANDIDATE"  # with Pre-Vote only

# Responses answer a request of some term; requests ask something.
RESPONSES = ("RequestVoteResponse", "AppendEntriesResponse", "PreVoteResponse")

FEATURES = ["prevote", "checkquorum", "transfer"]


class RaftState(raftnode.State):
    """One Raft server (Figure 2 of the paper).

    Persistent: term (currentTerm), voted_for, log. Volatile: role,
    commit_index; votes on a candidate or leader; next_index and match_index
    on a leader. Volatile, for the extensions only: the fields below.
    """

    own_fields = {
        "leaderContactTerm": "leader_contact_term",  # the term in which it heard from that term's leader
        "heardFrom": "heard_from",  # CheckQuorum: the peers a leader heard from since its last check
        "timeoutNowSent": "timeout_now_sent",  # a transfer: TimeoutNow went out already
    }

    # ------------------------------------------------------------------
    # The log. Index 1 is the first entry; index 0 is "before the log".

    def last_log_index(self):
        return len(self.log)

    def last_log_term(self):
        return self.log[-1]["term"] if self.log else 0

    def term_at(self, index):
        """The term of the entry at `index`, 0 before the log, None past its end."""
        if index == 0:
            return 0
        if index > len(self.log):
            return None
        return self.log[index - 1]["term"]

    # ------------------------------------------------------------------
    # Role transitions (section 5.2).

    def become_follower(self, term):
        """Becomes passive: a follower starts nothing. A newer term clears the
        vote, since the one vote a server has is per term (Figure 2)."""
        if term > self.term:
            self.term = term
            self.voted_for = None
        self.role = FOLLOWER
        self.votes = None
        self.next_index = None
        self.match_index = None
        self.heard_from = None
        self.end_transfer()

    def become_candidate(self, transfer=False):
        """Starts an election: a new term, a vote for itself, RequestVote to
        every peer. With no peers its own vote is a majority and it wins at once.
        `transfer`: the election a TimeoutNow asked for (section 10)."""
        self.term += 1
        self.role = CANDIDATE
        self.voted_for = self.server
        self.votes = [self.server]
        self.note(f"CANDIDATE of term {self.term}, votes for itself, RequestVote → {self.peer_list()}")
        if len(self.votes) >= self.majority:
            self.become_leader()
            return
        message = request_vote(self.term, self.server, self.last_log_index(), self.last_log_term(), transfer)
        for peer in self.peers:
            self.send(peer, message)

    def become_leader(self):
        """Takes office: nextIndex just past its own log and matchIndex 0 for
        every peer (Figure 2), then AppendEntries to all of them at once to
        assert its leadership."""
        self.role = LEADER
        self.next_index = {peer: self.last_log_index() + 1 for peer in self.peers}
        self.match_index = {peer: 0 for peer in self.peers}
        if self.options.get("checkquorum"):
            # The granted votes that elected it count as contact (section 10).
            self.heard_from = [name for name in self.votes if name != self.server]
        self.note(f"{len(self.votes)}/{len(self.servers)} votes → LEADER of term {self.term}, "
                  f"AppendEntries → {self.peer_list()}")
        if self.options.get("noop"):
            # Raft thesis 6.4: an empty entry of its own term lets it commit what
            # earlier leaders left, without waiting for a client.
            self.log.append({"term": self.term, "value": None})
            self.note(f"appends a no-op entry at index {self.last_log_index()}")
        self.send_append_entries_to_all()
        self.advance_commit_index()

    # ------------------------------------------------------------------
    # Events that do not come from another server.

    def on_init(self):
        self.note("starts as FOLLOWER of term 0")

    def on_restart(self):
        # raftsh already reset the volatile state: only term, vote and log survived.
        self.note(f"restarts as FOLLOWER of term {self.term}, commit index 0")

    def on_timeout(self):
        """The election timer fired: no word from a leader, so call an election
        (with Pre-Vote, first ask whether one could be won)."""
        self.leader_contact_term = None  # section 10: the timer firing clears leader contact
        if self.role == LEADER:
            self.leader_timeout()
            return
        self.note("election timeout")
        if self.options.get("prevote"):
            self.become_precandidate()
        else:
            self.become_candidate()

    def on_heartbeat(self):
        """A leader's heartbeat timer fired: AppendEntries to every peer, which
        also carries whatever a peer has not acknowledged yet."""
        if self.role != LEADER:
            self.note("is not LEADER: no heartbeat")
            return
        self.note(f"heartbeat (term {self.term}): AppendEntries → {self.peer_list()}")
        self.send_append_entries_to_all()

    def on_submit(self, value):
        """A client request: only the leader takes it; it appends one entry and
        replicates it at once (section 5.3)."""
        if self.role != LEADER:
            self.refuse(f"{self.server} is {self.role} of term {self.term}, not LEADER: request ignored")
            self.note("is not LEADER: the request is not taken")
            return
        if self.transfer_to is not None:
            self.refuse(f"{self.server} is handing leadership over to {self.transfer_to}: request ignored")
            self.note(f"is handing leadership over to {self.transfer_to}: the request is not taken")
            return
        self.log.append({"term": self.term, "value": value})
        self.note(f"appends a client entry at index {self.last_log_index()} (term {self.term}), "
                  f"AppendEntries → {self.peer_list()}")
        self.send_append_entries_to_all()
        self.advance_commit_index()  # alone in its cluster, it is its own majority

    # ------------------------------------------------------------------
    # Every message: the term rules first (Figure 2, "Rules for all servers"),
    # then the handler for its type.

    def on_receive(self, sender, message):
        term = message["term"]
        if self.ignores_for_stickiness(sender, message):
            return
        # Brief edge case 5 (section 5.1): a newer term makes the receiver a
        # FOLLOWER of that term, vote cleared, before it handles the message.
        if term > self.term and not self.keeps_term_for(message):
            self.see_newer_term(term, sender)
        # A response to a request of an older term answers a question nobody
        # asks any more: ignored. (Older requests are refused by their handlers.)
        if message["type"] in RESPONSES and term < self.term:
            self.note(f"ignores a stale reply from {sender} (term {term})")
            return
        if self.role == LEADER and term == self.term and self.options.get("checkquorum"):
            self.record_contact(sender)
        super().on_receive(sender, message)  # on_request_vote, on_append_entries, ...

    def see_newer_term(self, term, sender):
        if self.role == FOLLOWER:
            self.note(f"sees term {term} from {sender} → moves to term {term}")
        else:
            self.note(f"sees term {term} from {sender} → steps down from {self.role} to FOLLOWER of term {term}")
        self.become_follower(term)

    # ------------------------------------------------------------------
    # RequestVote (sections 5.2 and 5.4.1).

    def on_request_vote(self, sender, message):
        candidate = message["candidate"]
        if message["term"] < self.term:
            # Brief edge case 5: a candidate of an older term is refused, and
            # learns the newer term from the answer (section 5.1).
            granted = False
            self.note(f"refuses {candidate}: its term {self.term} is newer than {candidate}'s")
        elif not self.can_vote_for(candidate):
            granted = False
            self.note(f"refuses {candidate}: already voted for {self.voted_for} this term")
        elif not self.log_is_up_to_date(message["lastLogTerm"], message["lastLogIndex"]):
            granted = False
            self.note(f"refuses {candidate}: its log (last term {self.last_log_term()}, length "
                      f"{self.last_log_index()}) is more up-to-date than {candidate}'s (last term "
                      f"{message['lastLogTerm']}, length {message['lastLogIndex']})")
        else:
            granted = True
            self.voted_for = candidate
            self.reset_election_timer()  # granting a vote restarts the timer (section 5.2)
            self.note(f"grants its vote to {candidate} (term {self.term})")
        self.send(sender, request_vote_response(self.term, granted))

    def can_vote_for(self, candidate):
        """Brief edge case 2: one vote per term. votedFor is null or the
        candidate itself (a repeated request), Figure 2."""
        return self.voted_for is None or self.voted_for == candidate

    def log_is_up_to_date(self, last_log_term, last_log_index):
        """Brief edge case 3, section 5.4.1: the candidate's log is at least as
        up-to-date as ours if its last entry has a higher term, or the same
        last term and it is at least as long. So a leader always holds every
        committed entry."""
        if last_log_term != self.last_log_term():
            return last_log_term > self.last_log_term()
        return last_log_index >= self.last_log_index()

    def on_request_vote_response(self, sender, message):
        """A candidate counts the vote and wins with a majority; a leader still
        counts a late grant; a follower has no use for votes."""
        if self.role not in (CANDIDATE, LEADER):
            return
        if message["granted"] and sender not in self.votes:
            # Kept in cluster order, so the same votes always make the same state.
            self.votes = [name for name in self.servers if name in self.votes or name == sender]
        if self.role == LEADER:
            if message["granted"]:
                self.note(f"vote from {sender}: {len(self.votes)}/{len(self.servers)}")
            return
        if message["granted"]:
            self.note(f"vote from {sender}: {len(self.votes)}/{len(self.servers)}")
        else:
            self.note(f"{sender} refused its vote ({len(self.votes)}/{len(self.servers)})")
        if len(self.votes) >= self.majority:
            self.become_leader()

    # ------------------------------------------------------------------
    # AppendEntries (sections 5.3 and 5.4.2).

    def on_append_entries(self, sender, message):
        if message["term"] < self.term:
            # Brief edge case 5: a leader of an older term is refused, and
            # steps down on reading our term in the answer (section 5.1).
            self.note(f"refuses AppendEntries from {sender}: its term {self.term} is newer")
            self.send(sender, append_entries_response(self.term, False, 0))
            return
        if self.role == LEADER:
            # Two leaders of one term cannot happen while every server votes
            # once per term; if a broken rule made it happen, do not answer.
            self.note(f"ignores AppendEntries from {sender}: it is LEADER of that term itself")
            return
        if self.role != FOLLOWER:
            # Brief edge case 6 (section 5.2): AppendEntries of our own term
            # means another server won this election. Step down, then handle it.
            self.note(f"AppendEntries from {sender}, LEADER of term {self.term} → FOLLOWER")
            self.become_follower(self.term)
        # The leader of our term is alive: no election now, whether or not the
        # log matches (section 5.2).
        self.reset_election_timer()
        if self.options.get("prevote") or self.options.get("checkquorum"):
            self.leader_contact_term = self.term  # section 10: heard from this term's leader

        prev_log_index = message["prevLogIndex"]
        # The consistency check (section 5.3): our log must hold the entry
        # just before the new ones, with the same term.
        term_there = self.term_at(prev_log_index)
        if term_there is None:
            self.note(f"refuses AppendEntries from {sender}: no entry at index {prev_log_index} "
                      f"(its log ends at {self.last_log_index()})")
            self.send(sender, append_entries_response(self.term, False, 0))
            return
        if term_there != message["prevLogTerm"]:
            self.note(f"refuses AppendEntries from {sender}: its entry {prev_log_index} has term "
                      f"{term_there}, not {message['prevLogTerm']}")
            self.send(sender, append_entries_response(self.term, False, 0))
            return

        entries = message["entries"]
        self.merge_entries(sender, prev_log_index, entries)
        if self.commit_index > self.last_log_index():
            # A committed entry was cut: only a rule broken elsewhere (see buggy/)
            # gets here, and safety is already lost. The commit index must still
            # point into the log (node protocol section 4).
            self.note(f"has lost committed entries: commit index {self.commit_index} → {self.last_log_index()}")
            self.commit_index = self.last_log_index()
        last_new_index = prev_log_index + len(entries)
        # Figure 2, AppendEntries step 5: commit what the leader has committed,
        # as far as this request showed our log matches the leader's.
        new_commit_index = min(message["leaderCommit"], last_new_index)
        if new_commit_index > self.commit_index:
            self.commit_index = new_commit_index
            self.note(f"commits through index {self.commit_index} (term {self.term})")
        self.send(sender, append_entries_response(self.term, True, last_new_index))

    def merge_entries(self, sender, prev_log_index, entries):
        """Figure 2, AppendEntries steps 3 and 4: keep every entry that matches;
        at the first conflict (same index, another term) delete that entry and
        all after it, then append the rest. Never cut a matching entry: a late
        or duplicated request must not remove entries the leader may already
        count as stored here."""
        index = prev_log_index
        cut_from = None
        for entry in entries:
            index += 1
            if index <= len(self.log):
                if self.log[index - 1]["term"] == entry["term"]:
                    continue  # already here: keep it
                del self.log[index - 1:]  # the first conflict
                cut_from = index
            self.log.append(entry)
        if not entries:
            self.note(f"accepts AppendEntries from {sender}: log matches at index {prev_log_index}")
        else:
            cut = f", cutting its log from index {cut_from}" if cut_from is not None else ""
            first, last = prev_log_index + 1, prev_log_index + len(entries)
            span = f"entry {first}" if first == last else f"entries {first}–{last}"
            self.note(f"accepts {span} from {sender}{cut}")

    def on_append_entries_response(self, sender, message):
        """On success the leader raises what it knows the peer stores and may
        commit; on failure it backs nextIndex off by one and tries again at once."""
        if self.role != LEADER:
            return
        if message["success"]:
            stored = min(message["matchIndex"], self.last_log_index())
            self.match_index[sender] = max(self.match_index[sender], stored)
            self.next_index[sender] = max(self.next_index[sender], stored + 1)
            self.advance_commit_index()
            if sender == self.transfer_to and not self.timeout_now_sent \
                    and self.match_index[sender] == self.last_log_index():
                self.send_timeout_now()  # the transfer's target has caught up
        else:
            # Section 5.3: the logs differ at or before nextIndex - 1: step back one.
            self.next_index[sender] = max(1, self.next_index[sender] - 1)
            self.note(f"{sender} refused: nextIndex[{sender}] ← {self.next_index[sender]}, "
                      f"sends AppendEntries again")
            self.send_append_entries(sender)

    def send_append_entries(self, peer):
        """AppendEntries carrying every entry from the peer's nextIndex on."""
        next_index = min(self.next_index[peer], self.last_log_index() + 1)
        prev_log_index = next_index - 1
        self.send(peer, append_entries(self.term, self.server, prev_log_index, self.term_at(prev_log_index),
                                       self.log[prev_log_index:], self.commit_index))

    def send_append_entries_to_all(self):
        for peer in self.peers:
            self.send_append_entries(peer)

    def advance_commit_index(self):
        """Commits the highest index stored on a majority, if counting may commit it."""
        stored = sorted([self.last_log_index()] + [self.match_index[peer] for peer in self.peers])
        on_a_majority = stored[len(stored) - self.majority]  # the majority-th highest
        if on_a_majority > self.commit_index and self.may_commit_by_counting(on_a_majority):
            self.commit_index = on_a_majority
            self.note(f"commits through index {self.commit_index} (term {self.term})")

    def may_commit_by_counting(self, index):
        """Brief edge case 4, section 5.4.2 and Figure 8: a leader commits by
        counting replicas only an entry of its own term; entries of earlier
        terms commit with it, never by their count alone. Terms only grow
        along a log, so when the entry on a majority is older, no lower one
        qualifies either."""
        return self.term_at(index) == self.term

    # ------------------------------------------------------------------
    # Election extensions: raftscript.md section 10, after the Raft thesis
    # (Ongaro 2014) sections 3.10, 4.2.3 and 9.6.

    def heard_from_leader(self):
        """Leader contact: set by AppendEntries of the current term, cleared by
        the election timer, a restart and a newer term (kept as the term it was
        heard in, so a newer term clears it by itself). A LEADER always counts."""
        return self.role == LEADER or self.leader_contact_term == self.term

    def keeps_term_for(self, message):
        """Pre-Vote: neither a PreVote nor a granted PreVoteResponse moves its
        receiver to the newer term it carries: asking costs nobody anything."""
        return message["type"] == "PreVote" or (message["type"] == "PreVoteResponse" and message["granted"])

    def ignores_for_stickiness(self, sender, message):
        """CheckQuorum's leader stickiness (thesis 4.2.3): a server that has
        heard from a leader ignores a RequestVote of a newer term, unless a
        transfer asked for that election; it answers nothing and keeps its term."""
        if not self.options.get("checkquorum") or message["type"] != "RequestVote":
            return False
        if message["term"] <= self.term or not self.heard_from_leader() or message.get("transfer"):
            return False
        self.note(f"ignores RequestVote from {sender} (term {message['term']}): it has heard from a leader")
        return True

    def record_contact(self, peer):
        """CheckQuorum: a leader notes each peer it hears from in its own term."""
        if self.heard_from is None:
            self.heard_from = []
        if peer not in self.heard_from:
            self.heard_from = [name for name in self.peers if name in self.heard_from or name == peer]

    def become_precandidate(self):
        """Pre-Vote (thesis 9.6): before an election, a new round asks every peer
        whether it would vote at term + 1. Term and vote stay as they are, so a
        server that cannot win disturbs nobody."""
        self.role = PRECANDIDATE
        self.votes = [self.server]
        self.note(f"PRECANDIDATE of term {self.term}, PreVote for term {self.term + 1} → {self.peer_list()}")
        if len(self.votes) >= self.majority:
            self.reset_election_timer()
            self.become_candidate()
            return
        message = pre_vote(self.term + 1, self.server, self.last_log_index(), self.last_log_term())
        for peer in self.peers:
            self.send(peer, message)

    def on_pre_vote(self, sender, message):
        """Grants when the term is not older, the candidate's log is up-to-date
        (5.4.1) and it has not heard from a leader, whatever its own vote.
        Changes nothing here: not its term, vote, role or timer."""
        candidate = message["candidate"]
        if message["term"] < self.term:
            granted = False
            self.note(f"refuses a pre-vote to {candidate}: its term {self.term} is newer")
        elif self.heard_from_leader():
            granted = False
            self.note(f"refuses a pre-vote to {candidate}: it has heard from a leader")
        elif not self.log_is_up_to_date(message["lastLogTerm"], message["lastLogIndex"]):
            granted = False
            self.note(f"refuses a pre-vote to {candidate}: its log is more up-to-date")
        else:
            granted = True
            self.note(f"grants a pre-vote to {candidate} (term {message['term']})")
        self.send(sender, pre_vote_response(message["term"] if granted else self.term, granted))

    def on_pre_vote_response(self, sender, message):
        """A pre-candidate with a majority of pre-votes, its own included,
        starts the real election at once. A grant counts if it is for the term
        it now asks about (a late grant of an earlier round of the same term does)."""
        if self.role != PRECANDIDATE:
            return
        if not message["granted"]:
            self.note(f"{sender} refused its pre-vote ({len(self.votes)}/{len(self.servers)})")
            return
        if message["term"] != self.term + 1:
            return
        if sender not in self.votes:
            self.votes = [name for name in self.servers if name in self.votes or name == sender]
        self.note(f"pre-vote from {sender}: {len(self.votes)}/{len(self.servers)}")
        if len(self.votes) >= self.majority:
            self.reset_election_timer()  # CANDIDATE, and not by its own timeout
            self.become_candidate()

    def leader_timeout(self):
        """A leader's election timer runs with CheckQuorum on or a transfer
        pending: it ends the transfer, and a leader that has not heard from a
        majority since the last check steps down (thesis 6.2)."""
        if self.transfer_to is not None:
            self.note(f"election timeout: the transfer to {self.transfer_to} ends")
            self.end_transfer()
        elif not self.options.get("checkquorum"):
            self.note("is LEADER: with no CheckQuorum and no transfer, its election timer does nothing")
        if not self.options.get("checkquorum"):
            return
        if self.heard_from is None:
            # Elected while CheckQuorum was off: nobody counted, so no verdict yet.
            self.note("CheckQuorum: starts counting whom it hears from")
            self.heard_from = []
            return
        heard = 1 + len(self.heard_from)
        if heard < self.majority:
            self.note(f"CheckQuorum: heard from {heard}/{len(self.servers)} → FOLLOWER of term {self.term}")
            self.become_follower(self.term)
            return
        self.note(f"CheckQuorum: heard from {heard}/{len(self.servers)} → stays LEADER")
        self.heard_from = []

    def on_transfer(self, to):
        """Leadership transfer (thesis 3.10): bring the target up to date, then
        tell it to start an election at once with TimeoutNow."""
        if self.role != LEADER or to not in self.peers:
            raise raftnode.Impossible(f"transfer to {to!r} from a {self.role} (only a LEADER hands over, to a peer)")
        if to == self.transfer_to:
            self.note(f"is already handing leadership over to {to}")
            return
        self.transfer_to = to
        self.timeout_now_sent = None
        self.note(f"hands leadership over to {to}")
        if self.match_index[to] == self.last_log_index():
            self.send_timeout_now()
        else:
            self.send_append_entries(to)

    def send_timeout_now(self):
        self.note(f"{self.transfer_to} has every entry: TimeoutNow → {self.transfer_to}")
        self.send(self.transfer_to, timeout_now(self.term))
        self.timeout_now_sent = True

    def end_transfer(self):
        self.transfer_to = None
        self.timeout_now_sent = None

    def on_timeout_now(self, sender, message):
        """A FOLLOWER told by its leader to take over starts an election at once,
        even with Pre-Vote on, marked as a transfer so stickiness lets it through."""
        if self.role != FOLLOWER or message["term"] != self.term:
            self.note(f"ignores TimeoutNow from {sender} (term {message['term']})")
            return
        self.note(f"TimeoutNow from {sender}: starts an election at once")
        self.reset_election_timer()  # CANDIDATE, and not by its own timeout
        self.become_candidate(transfer=True)

    # ------------------------------------------------------------------

    def peer_list(self):
        return ", ".join(self.peers) if self.peers else "nobody"


def main(state_class=RaftState, name="leader_election.py (Python example)"):
    raftnode.serve(state_class, name=name, features=FEATURES)


if __name__ == "__main__":
    main()
