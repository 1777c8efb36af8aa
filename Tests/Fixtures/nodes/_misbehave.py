"""Shared by the fixtures that answer like leader_election.py except on an
election timeout: `misbehave_on_timeout(change)` runs the correct node, and
lets `change(request, answer)` spoil the answer to every `timeout` event."""

import _example  # noqa: F401 (the example on the import path)
import leader_election
import raftnode

correct_answer_step = raftnode.answer_step


def misbehave_on_timeout(change):
    def answer_step(state_class, request):
        answer, spent = correct_answer_step(state_class, request)
        if request["event"]["type"] == "timeout":
            answer = change(request, answer)
        return answer, spent

    raftnode.answer_step = answer_step  # serve() looks it up on every step
    leader_election.main(name="misbehaving fixture")
