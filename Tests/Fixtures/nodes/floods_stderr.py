"""Fixture: a correct node (leader_election.py) that writes 1 MiB to standard
error before every answer (RAFTNODE_FIXTURE_STDERR_BYTES changes the amount).
raftsh must keep reading the node's standard error, or the pipe fills and the
node blocks before it answers."""
import os
import sys

import _example  # noqa: F401 (the example on the import path)
import leader_election
import raftnode

correct_answer_step = raftnode.answer_step
FLOOD = b"x" * 1023 + b"\n"
KIBIBYTES = int(os.environ.get("RAFTNODE_FIXTURE_STDERR_BYTES", 1 << 20)) // 1024


def answer_step(state_class, request):
    for _ in range(KIBIBYTES):
        sys.stderr.buffer.write(FLOOD)
    sys.stderr.buffer.flush()
    return correct_answer_step(state_class, request)


raftnode.answer_step = answer_step
leader_election.main(name="stderr flooding fixture")
