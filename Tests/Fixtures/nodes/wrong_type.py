"""Fixture: answers a `timeout` with the state's `term` as a string ("1", not 1)."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    answer["state"]["term"] = str(answer["state"]["term"])
    return answer


misbehave_on_timeout(change)
