#!/usr/bin/env python3
"""BUG: grants votes without the up-to-date check.

Section 5.4.1: a voter refuses a candidate whose log is less up-to-date than
its own (an older last term, or the same last term and shorter). Every
committed entry is on a majority, and any majority shares a voter with it, so
the check keeps every committed entry in every later leader's log (Leader
Completeness, Figure 3). This server votes for any candidate: one that missed
a committed entry can win and overwrite it.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import leader_election  # noqa: E402


class NoUpToDateCheck(leader_election.RaftState):
    def log_is_up_to_date(self, last_log_term, last_log_index):
        return True  # BUG: any candidate's log will do


if __name__ == "__main__":
    leader_election.main(NoUpToDateCheck, name="buggy/no_uptodate_check.py")
