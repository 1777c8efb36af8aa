"""Fixture: looks correct (it is leader_election.py, and as safe), but its
answers depend on more than the request, which `--check-determinism` (node
protocol section 8) must catch.

The bug, a plausible one: "to be fair to every peer", it starts each step's
messages with a different peer, turning the peer list by a counter kept in a
global between steps. Asking the same request twice gives the messages (and
the leader's nextIndex and matchIndex) in another order, so a replay, an undo
or a shrunk counterexample no longer does what the run did. Needs three
servers or more (with one peer there is nothing to turn)."""

import _example  # noqa: F401 (the example on the import path)
import leader_election
from leader_election import RaftState

turns = 0  # the bug: state outside the request


class FairRaftState(RaftState):
    def handle(self, event):
        global turns
        turns += 1
        if self.peers:
            start = turns % len(self.peers)
            self.peers = self.peers[start:] + self.peers[:start]
        super().handle(event)


leader_election.main(FairRaftState, name="nondeterministic fixture")
