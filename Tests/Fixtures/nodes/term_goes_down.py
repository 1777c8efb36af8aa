"""Fixture: on a `timeout` of a server whose term is above 0, answers with a
term one below the one it was sent (after `set s1 term 3`, `timeout s1` leaves
s1 a CANDIDATE of term 2). Not a protocol error (node protocol section 7):
raftsh shows it, and `expect safe`, `simulate` and `explore` judge it."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    if request["state"]["term"] > 0:
        answer["state"]["term"] = request["state"]["term"] - 1
    return answer


misbehave_on_timeout(change)
