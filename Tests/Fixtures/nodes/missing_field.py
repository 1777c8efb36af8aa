"""Fixture: answers a `timeout` without the required state field `commitIndex`."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    del answer["state"]["commitIndex"]
    return answer


misbehave_on_timeout(change)
