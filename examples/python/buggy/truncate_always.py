#!/usr/bin/env python3
"""BUG: a follower deletes the entries after prevLogIndex, matching or not.

Figure 2, AppendEntries receiver rules 3 and 4, and section 5.3: only a
conflict (same index, another term) cuts a log; entries that match stay.
Messages arrive late and out of order: a late, shorter AppendEntries makes
this follower drop entries it already acknowledged, which the leader may have
counted to commit them. A leader elected without them then overwrites
committed entries (State Machine Safety, Figure 3).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import leader_election  # noqa: E402


class TruncatesAlways(leader_election.RaftState):
    def merge_entries(self, sender, prev_log_index, entries):
        del self.log[prev_log_index:]  # BUG: matching entries after prevLogIndex go too
        self.log.extend(entries)
        self.note(f"replaces its log after index {prev_log_index} with {len(entries)} entries from {sender}")


if __name__ == "__main__":
    leader_election.main(TruncatesAlways, name="buggy/truncate_always.py")
