"""raftnode: run a Raft server written in Python under raftsh.

raftsh drives your code through the node protocol, version 1: it starts this
program once and, for every step of every server, writes one line of JSON
holding that server's whole state and one event; your code answers with the
new state, the messages to send and a few flags. raftsh keeps all the state,
so your handlers must keep nothing between steps: everything a server knows
is in its state object.

This module does the talking. You write a subclass of `State` with one method
per event, and hand it to `serve`:

    import raftnode

    class RaftState(raftnode.State):
        def on_timeout(self):
            ...
        def on_request_vote(self, sender, message):
            ...

    raftnode.serve(RaftState, name="my raft")

Run it with `raftsh --node "python3 mynode.py"`. Standard library only.
"""

import json
import os
import sys
import time
import traceback

PROTOCOL = 1

# The state fields every answer carries (protocol section 4), and the
# attribute each becomes on a `State`.
REQUIRED_FIELDS = {
    "role": "role",
    "term": "term",
    "votedFor": "voted_for",
    "log": "log",
    "commitIndex": "commit_index",
}

# Optional fields raftsh reads when present; None means absent.
OPTIONAL_FIELDS = {
    "votes": "votes",
    "nextIndex": "next_index",
    "matchIndex": "match_index",
    "transferTo": "transfer_to",
}

# Roles are spelled as the course brief spells them in Python, in lower case on the wire.
ROLE_FROM_JSON = {"follower": "FOLLOWER", "candidate": "CANDIDATE", "leader": "LEADER", "precandidate": "PRECANDIDATE"}
ROLE_TO_JSON = {role: name for name, role in ROLE_FROM_JSON.items()}

# The handler method for each message type of a `receive` event (protocol section 6).
MESSAGE_HANDLERS = {
    "RequestVote": "on_request_vote",
    "RequestVoteResponse": "on_request_vote_response",
    "AppendEntries": "on_append_entries",
    "AppendEntriesResponse": "on_append_entries_response",
    "PreVote": "on_pre_vote",
    "PreVoteResponse": "on_pre_vote_response",
    "TimeoutNow": "on_timeout_now",
}


class Impossible(Exception):
    """Raise it from a handler for an event that cannot happen: raftsh stops
    and reports the text as the node's error (protocol section 7)."""


class State:
    """One server's state during one step, and what the step does.

    The protocol's state fields, as attributes:

        role           'FOLLOWER', 'CANDIDATE', 'LEADER' (or 'PRECANDIDATE')
        term           currentTerm
        voted_for      a server name, or None
        log            a list of entries {"term": T, "value": V}; index 1 is log[0]
        commit_index   the commit index
        votes          names whose vote was granted this term, or None
        next_index     {peer: index} on a leader, or None
        match_index    {peer: index} on a leader, or None
        transfer_to    the server a leader hands over to, or None

    Every step makes a fresh object from the request, without calling
    __init__: whatever a server knows must be in these fields. A subclass may
    keep fields of its own between steps: list them in
    `own_fields` (JSON name to attribute name); an attribute left at None is
    not written. Fields nobody here knows are passed back untouched.

    The step: `server` (this server's name), `servers` (the cluster, in
    cluster order), `peers` (the others, in cluster order), `options` (the
    cluster's options, e.g. options["noop"]). What it does: `send`, `note`,
    `reset_election_timer`, `refuse`.
    """

    own_fields = {}

    # -- what a step does -------------------------------------------------

    def send(self, to, message):
        """Puts `message` (a dict, see the message functions below) in flight to `to`."""
        self.outbox.append({"to": to, **message})

    def note(self, text):
        """One sentence of narration, shown under the server's name by `trace`."""
        self.notes.append(text)

    def reset_election_timer(self):
        """This step restarts the election timer (protocol section 3 says when)."""
        self.timer_reset = True

    def refuse(self, reason):
        """Turns a client request away, saying why (the shell shows it)."""
        self.refused = reason

    @property
    def majority(self):
        """Votes needed to win an election, and replicas needed to commit."""
        return len(self.servers) // 2 + 1

    # -- events: override the ones your server handles ---------------------

    def on_init(self):
        """The server is created: the state is the fresh one. Send nothing."""

    def on_restart(self):
        """The server comes back after a crash: only term, voted_for and log survived. Send nothing."""

    def on_timeout(self):
        raise Impossible("this node has no handler for an election timeout")

    def on_heartbeat(self):
        raise Impossible("this node has no handler for a heartbeat")

    def on_submit(self, value):
        raise Impossible("this node has no handler for a client request")

    def on_transfer(self, to):
        raise Impossible("this node does not support leadership transfer")

    def on_receive(self, sender, message):
        """Calls the handler for the message's type, e.g. on_request_vote(sender, message)."""
        handler = MESSAGE_HANDLERS.get(message["type"])
        if handler is None or not hasattr(self, handler):
            raise Impossible(f"this node does not handle {message['type']} messages")
        getattr(self, handler)(sender, message)

    def handle(self, event):
        """Calls the handler for one event of the protocol's section 5."""
        kind = event["type"]
        if kind == "receive":
            if event["from"] not in self.servers or event["from"] == self.server:
                raise Impossible(f"a message from {event['from']!r}, who is not a peer")
            self.on_receive(event["from"], event["message"])
        elif kind == "timeout":
            self.on_timeout()
        elif kind == "heartbeat":
            self.on_heartbeat()
        elif kind == "submit":
            self.on_submit(event["value"])
        elif kind == "init":
            self.on_init()
        elif kind == "restart":
            self.on_restart()
        elif kind == "transfer":
            self.on_transfer(event["to"])
        else:
            raise Impossible(f"unknown event type {kind!r}")


# -- messages (protocol section 6), as the dicts that go on the wire ----------


def request_vote(term, candidate, last_log_index, last_log_term, transfer=False):
    return {"type": "RequestVote", "term": term, "candidate": candidate,
            "lastLogIndex": last_log_index, "lastLogTerm": last_log_term, "transfer": transfer}


def request_vote_response(term, granted):
    return {"type": "RequestVoteResponse", "term": term, "granted": granted}


def append_entries(term, leader, prev_log_index, prev_log_term, entries, leader_commit):
    return {"type": "AppendEntries", "term": term, "leader": leader, "prevLogIndex": prev_log_index,
            "prevLogTerm": prev_log_term, "entries": entries, "leaderCommit": leader_commit}


def append_entries_response(term, success, match_index):
    return {"type": "AppendEntriesResponse", "term": term, "success": success, "matchIndex": match_index}


def pre_vote(term, candidate, last_log_index, last_log_term):
    return {"type": "PreVote", "term": term, "candidate": candidate,
            "lastLogIndex": last_log_index, "lastLogTerm": last_log_term}


def pre_vote_response(term, granted):
    return {"type": "PreVoteResponse", "term": term, "granted": granted}


def timeout_now(term):
    return {"type": "TimeoutNow", "term": term}


# -- the state, from JSON and back ----------------------------------------------


def state_from_json(state_class, request):
    """Makes the state object for one step request (protocol section 3)."""
    fields = request["state"]
    state = state_class.__new__(state_class)  # no __init__: everything comes from the request
    state.role = ROLE_FROM_JSON[fields["role"]]
    state.term = fields["term"]
    state.voted_for = fields["votedFor"]
    state.log = fields["log"]
    state.commit_index = fields["commitIndex"]
    state.votes = fields.get("votes")
    state.next_index = fields.get("nextIndex")
    state.match_index = fields.get("matchIndex")
    state.transfer_to = fields.get("transferTo")
    for name, attribute in state_class.own_fields.items():
        setattr(state, attribute, fields.get(name))
    state.unknown = {name: value for name, value in fields.items()
                     if name not in REQUIRED_FIELDS and name not in OPTIONAL_FIELDS
                     and name not in state_class.own_fields}
    state.server = request["server"]
    state.servers = request["servers"]
    state.peers = [name for name in state.servers if name != state.server]
    state.options = request.get("options", {})
    state.outbox = []
    state.notes = []
    state.timer_reset = False
    state.refused = None
    return state


def state_to_json(state):
    """The state fields of the answer: the protocol's first, then the node's own."""
    fields = {
        "role": ROLE_TO_JSON[state.role],
        "term": state.term,
        "votedFor": state.voted_for,
        "log": state.log,
        "commitIndex": state.commit_index,
    }
    for name, attribute in OPTIONAL_FIELDS.items():
        value = getattr(state, attribute)
        if value is not None:
            fields[name] = value
    for name, attribute in state.own_fields.items():
        value = getattr(state, attribute, None)
        if value is not None:
            fields[name] = value
    fields.update(state.unknown)
    return fields


def answer_step(state_class, request):
    """The answer to one step request, and the seconds spent in the handler."""
    state = state_from_json(state_class, request)
    began = time.perf_counter()
    state.handle(request["event"])
    spent = time.perf_counter() - began
    answer = {"state": state_to_json(state), "send": state.outbox,
              "resetTimer": state.timer_reset, "notes": state.notes}
    if state.refused is not None:
        answer["refused"] = state.refused
    return answer, spent


# -- the loop -------------------------------------------------------------------


def _codec():
    """How a line becomes a dict and a dict a line (bytes both ways): the
    standard library's json, or orjson when it is installed (`pip install
    orjson`), which reads and writes a step several times as fast."""
    try:
        import orjson
    except ImportError:
        decoder = json.JSONDecoder()
        # No cycle check: an answer is a tree (about a fifth of the encoding time).
        # Text as UTF-8, not \u escapes, as raftsh and orjson write it: a log
        # handed back unchanged is then the very bytes raftsh sent, which it
        # passes over in one comparison.
        encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
        return (lambda line: decoder.decode(line.decode("utf-8"))), (lambda value: encoder.encode(value).encode("utf-8"))
    return orjson.loads, orjson.dumps


def serve(state_class, name, features=()):
    """Answers raftsh's requests, one JSON line each, until standard input ends.

    A handler that raises gets an {"error": ...} answer with the exception's
    text (and its traceback on standard error), not a crash. When the
    environment variable RAFTNODE_STATS names a file, writes to it at the end
    {"steps": N, "handlerSeconds": S, "totalSeconds": T}: S is the time in
    handlers, T from reading each line to writing its answer.
    """
    decode, encode = _codec()
    clock = time.perf_counter
    # Our own buffered files: flushed after every answer, whatever -u or
    # PYTHONUNBUFFERED made of sys.stdout (an unbuffered write may be partial).
    requests = open(sys.stdin.fileno(), "rb", closefd=False)
    answers = open(sys.stdout.fileno(), "wb", closefd=False)
    steps = 0
    handler_seconds = 0.0
    total_seconds = 0.0
    try:
        for line in requests:
            started = clock()
            try:
                request = decode(line)
            except ValueError:  # not UTF-8, or not JSON
                request = None
            if not isinstance(request, dict):
                answer = {"error": f"a request line that is not one JSON object: {line[:200]!r}"}
            elif request.get("type") == "step":
                steps += 1
                try:
                    answer, spent = answer_step(state_class, request)
                    handler_seconds += spent
                except Impossible as reason:
                    answer = {"error": str(reason)}
                except Exception as failure:  # a bug in a handler: report it, keep serving
                    traceback.print_exc(file=sys.stderr)
                    answer = {"error": f"{type(failure).__name__}: {failure}"}
            elif request.get("type") == "hello":
                answer = {"type": "hello", "protocol": PROTOCOL, "name": name, "features": list(features)}
            else:
                answer = {"error": f"unknown request type {request.get('type')!r}"}
            answers.write(encode(answer) + b"\n")
            answers.flush()
            total_seconds += clock() - started
    except BrokenPipeError:
        # raftsh went away: nothing left to answer. The answer still buffered
        # goes nowhere, rather than fail again when Python exits.
        os.dup2(os.open(os.devnull, os.O_WRONLY), answers.fileno())
    except KeyboardInterrupt:
        pass  # stopped by Ctrl-C with raftsh: no traceback
    finally:
        stats = os.environ.get("RAFTNODE_STATS")
        if stats:
            with open(stats, "w") as file:
                json.dump({"steps": steps, "handlerSeconds": handler_seconds, "totalSeconds": total_seconds}, file)
                file.write("\n")
