"""Fixture: on a `timeout`, also sends a RequestVote to "nobody", a server
that is not in the cluster."""
from _misbehave import misbehave_on_timeout


def change(request, answer):
    state = answer["state"]
    answer["send"].append({"to": "nobody", "type": "RequestVote", "term": state["term"],
                           "candidate": request["server"], "lastLogIndex": len(state["log"]),
                           "lastLogTerm": state["log"][-1]["term"] if state["log"] else 0, "transfer": False})
    return answer


misbehave_on_timeout(change)
