"""Fixture: answers every `timeout` with {"error": ...}: the node says the event is impossible."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    return {"error": "this fixture finds every election timeout impossible"}


misbehave_on_timeout(change)
