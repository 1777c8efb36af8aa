"""Fixture: on a `timeout`, prints a debugging line to standard output (the
protocol's channel) before its JSON answer, as a student's stray print()
would: `candidate! term=1 votes=['s1']`. raftsh reads that line as the answer."""

from _misbehave import misbehave_on_timeout


def change(request, answer):
    state = answer["state"]
    print(f"candidate! term={state['term']} votes={state.get('votes')}", flush=True)
    return answer


misbehave_on_timeout(change)
