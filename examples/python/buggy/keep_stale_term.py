#!/usr/bin/env python3
"""BUG: a leader or candidate ignores a newer term.

Figure 2, "Rules for all servers", and section 5.1: on any message with a
term above its own, a server takes that term and becomes a FOLLOWER before
handling it. This server takes the term but keeps its role: a deposed leader
goes on leading, now in the newer term, next to the leader elected in it,
and two leaders of one term break Election Safety (Figure 3).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import leader_election  # noqa: E402


class KeepsStaleRole(leader_election.RaftState):
    def see_newer_term(self, term, sender):
        self.note(f"sees term {term} from {sender} → moves to term {term}, still {self.role}")
        self.term = term
        self.voted_for = None  # BUG: the role stays: no become_follower(term)


if __name__ == "__main__":
    leader_election.main(KeepsStaleRole, name="buggy/keep_stale_term.py")
