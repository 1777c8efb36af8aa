"""Puts the Python example (examples/python: raftnode.py and leader_election.py)
on the import path: every fixture here is the correct example with one thing
done wrong, so it imports the example rather than keep a copy of it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "examples", "python"))
