"""Fixture: answers the handshake, then never answers a step (raftsh's step
time limit, --node-timeout, must end the wait). It keeps reading its input so
it still exits when raftsh closes its standard input, and dies when killed."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    if request.get("type") == "hello":
        print(json.dumps({"type": "hello", "protocol": 1, "name": "never answers"}), flush=True)
    # a step: no answer, ever
