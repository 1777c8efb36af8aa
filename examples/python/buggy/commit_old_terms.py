#!/usr/bin/env python3
"""BUG: commits an entry of an earlier term by counting its replicas.

Section 5.4.2 and Figure 8: a leader may decide an entry is committed by
counting replicas only if the entry is of its current term; an entry of an
earlier term on a majority can still be overwritten by a leader elected
without it (Figure 8 (d)). This leader counts every entry: it commits the
term-2 entry in Figure 8 (c), a later leader overwrites it, and two servers
apply different commands at one index (State Machine Safety, Figure 3).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import leader_election  # noqa: E402


class CommitsOldTerms(leader_election.RaftState):
    def may_commit_by_counting(self, index):
        return True  # BUG: an entry of any term commits once on a majority


if __name__ == "__main__":
    leader_election.main(CommitsOldTerms, name="buggy/commit_old_terms.py")
