"""Fixture: answers the handshake with protocol 2, which raftsh does not speak,
then answers nothing else. It exits when its standard input closes."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    if request.get("type") == "hello":
        print(json.dumps({"type": "hello", "protocol": 2, "name": "speaks protocol 2"}), flush=True)
