"""Fixture: on a `timeout`, also sends its RequestVote to itself."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    votes = [message for message in answer["send"] if message["type"] == "RequestVote"]
    answer["send"].append(dict(votes[0], to=request["server"]) if votes else
                          {"to": request["server"], "type": "RequestVoteResponse", "term": 1, "granted": True})
    return answer


misbehave_on_timeout(change)
