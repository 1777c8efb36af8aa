"""Fixture: a correct node (leader_election.py) that exits with status 1 when
asked its N-th step (N from RAFTNODE_FIXTURE_STEPS, default 3), after the
handshake and N - 1 good answers, without answering it."""
import os
import sys

import _example  # noqa: F401 (the example on the import path)
import leader_election
import raftnode

correct_answer_step = raftnode.answer_step
LAST = int(os.environ.get("RAFTNODE_FIXTURE_STEPS", 3))
asked = 0  # kept between steps on purpose: this fixture is about the process, not Raft


def answer_step(state_class, request):
    global asked
    asked += 1
    if asked >= LAST:
        print(f"exits_mid_run: exiting at step {asked} ({request['event']['type']} of {request['server']})",
              file=sys.stderr, flush=True)
        os._exit(1)
    return correct_answer_step(state_class, request)


raftnode.answer_step = answer_step
leader_election.main(name="exits mid-run fixture")
