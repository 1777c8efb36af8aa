#!/usr/bin/env python3
"""BUG: votes twice in one term.

Figure 2, RequestVote receiver rule 2, and section 5.2: a server grants a
vote only if votedFor is null or the candidate itself, so it votes at most
once per term, and two candidates can never both gather a majority of one
term. This server forgets the vote it already gave: with two candidates in a
term, both can win, and two leaders of one term break Election Safety
(Figure 3).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import leader_election  # noqa: E402


class VotesTwice(leader_election.RaftState):
    def can_vote_for(self, candidate):
        return True  # BUG: the vote already given this term is not checked


if __name__ == "__main__":
    leader_election.main(VotesTwice, name="buggy/vote_twice.py")
