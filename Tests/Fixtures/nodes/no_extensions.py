"""Fixture: the Python example with an empty list of features in its
handshake, as a node written for RaftScript 1.0 would answer: `set prevote
on`, `set checkquorum on` and `transfer` are errors naming the feature
(node protocol section 6)."""
import _example  # noqa: F401 (the example on the import path)
import leader_election
import raftnode

raftnode.serve(leader_election.RaftState, name="no_extensions.py (fixture)", features=())
