"""Fixture: answers a `timeout` with a commitIndex one past the end of its log."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    answer["state"]["commitIndex"] = len(answer["state"]["log"]) + 1
    return answer


misbehave_on_timeout(change)
