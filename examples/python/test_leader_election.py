"""Tests for leader_election.py, driven as raftsh drives it: a subprocess
spoken to in JSON lines over the node protocol. A small cluster here keeps the
servers' states and routes the messages, one delivery at a time.

    cd examples/python && python3 -m unittest
"""

import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
NODE = [sys.executable, os.path.join(HERE, "leader_election.py")]


class Node:
    """The node program, one request and one answer at a time."""

    def __init__(self, command=NODE):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, cwd=HERE)

    def ask(self, request):
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("the node exited: " + self.process.stderr.read().decode())
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()


def fresh_state():
    return {"role": "follower", "term": 0, "votedFor": None, "log": [], "commitIndex": 0}


def entries(*terms):
    return [{"term": term, "value": f"v{index}"} for index, term in enumerate(terms, 1)]


class Cluster:
    """Servers' states and the messages in flight, in the order sent."""

    def __init__(self, node, size, noop=False):
        self.node = node
        self.names = [f"s{i}" for i in range(1, size + 1)]
        self.options = {"noop": noop, "prevote": False, "checkquorum": False}
        self.states = {name: fresh_state() for name in self.names}
        self.in_flight = []  # (sender, receiver, message)
        self.last_answer = None
        for name in self.names:
            self.step(name, {"type": "init"})

    def step(self, name, event):
        answer = self.node.ask({"type": "step", "server": name, "servers": self.names,
                                "options": self.options, "state": self.states[name], "event": event})
        if "error" in answer:
            raise AssertionError(f"{name} {event}: {answer['error']}")
        self.states[name] = answer["state"]
        for message in answer.get("send", []):
            receiver = message.pop("to")
            self.in_flight.append((name, receiver, message))
        self.last_answer = answer
        return answer

    def deliver(self, sender, receiver):
        """Delivers the oldest message from sender to receiver; returns it."""
        for position, (source, target, message) in enumerate(self.in_flight):
            if (source, target) == (sender, receiver):
                del self.in_flight[position]
                self.step(receiver, {"type": "receive", "from": sender, "message": message})
                return message
        raise AssertionError(f"nothing in flight {sender}->{receiver}")

    def deliver_from(self, sender):
        for receiver in [target for source, target, _ in self.in_flight if source == sender]:
            self.deliver(sender, receiver)

    def deliver_to(self, receiver):
        for sender in [source for source, target, _ in self.in_flight if target == receiver]:
            self.deliver(sender, receiver)

    def drop(self, sender, receiver):
        """Discards the oldest message from sender to receiver."""
        for position, flight in enumerate(self.in_flight):
            if flight[:2] == (sender, receiver):
                del self.in_flight[position]
                return
        raise AssertionError(f"nothing in flight {sender}->{receiver}")

    def settle(self):
        while self.in_flight:
            sender, receiver, _ = self.in_flight[0]
            self.deliver(sender, receiver)

    def pending(self, sender, receiver):
        return [message for source, target, message in self.in_flight if (source, target) == (sender, receiver)]

    def log_terms(self, name):
        return [entry["term"] for entry in self.states[name]["log"]]


class NodeTestCase(unittest.TestCase):
    """One node process for a whole class: it keeps nothing between steps."""

    @classmethod
    def setUpClass(cls):
        cls.node = Node()

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def cluster(self, size, noop=False):
        return Cluster(self.node, size, noop)


class AdapterTests(NodeTestCase):
    def test_hello_names_the_node_and_protocol_1(self):
        answer = self.node.ask({"type": "hello", "protocol": 1})
        self.assertEqual(answer["type"], "hello")
        self.assertEqual(answer["protocol"], 1)
        self.assertIsInstance(answer["name"], str)
        self.assertIsInstance(answer.get("features", []), list)

    def test_init_keeps_the_fresh_state_and_sends_nothing(self):
        cluster = self.cluster(3)
        self.assertEqual(cluster.states["s1"], fresh_state())
        self.assertEqual(cluster.last_answer["send"], [])

    def test_fields_it_does_not_know_come_back_verbatim(self):
        state = dict(fresh_state(), student={"notes": [1, 2]})
        answer = self.node.ask({"type": "step", "server": "s1", "servers": ["s1", "s2"], "options": {},
                                "state": state, "event": {"type": "timeout"}})
        self.assertEqual(answer["state"]["student"], {"notes": [1, 2]})

    def test_an_unknown_event_is_an_error_answer_not_a_crash(self):
        answer = self.node.ask({"type": "step", "server": "s1", "servers": ["s1"], "options": {},
                                "state": fresh_state(), "event": {"type": "bogus"}})
        self.assertIn("bogus", answer["error"])
        self.assertEqual(self.node.ask({"type": "hello", "protocol": 1})["protocol"], 1)

    def test_an_exception_in_a_handler_is_an_error_answer_with_its_text(self):
        answer = self.node.ask({"type": "step", "server": "s1", "servers": ["s1"], "options": {},
                                "state": fresh_state(), "event": {"type": "submit"}})  # no "value"
        self.assertEqual(answer, {"error": "KeyError: 'value'"})
        answer = self.node.ask({"type": "step", "server": "s1", "servers": ["s1"], "options": {},
                                "state": fresh_state(), "event": {"type": "timeout"}})
        self.assertEqual(answer["state"]["role"], "leader")  # and it goes on serving

    def test_a_line_that_is_not_a_json_object_is_an_error_answer(self):
        self.node.process.stdin.write(b"[1, 2]\n")
        self.node.process.stdin.flush()
        self.assertIn("not one JSON object", json.loads(self.node.process.stdout.readline())["error"])

    def test_raftnode_stats_times_the_steps_at_the_end_of_input(self):
        stats = os.path.join(HERE, f".stats-{os.getpid()}.json")
        self.addCleanup(lambda: os.path.exists(stats) and os.remove(stats))
        process = subprocess.Popen(NODE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=dict(os.environ, RAFTNODE_STATS=stats))
        step = {"type": "step", "server": "s1", "servers": ["s1", "s2"], "options": {},
                "state": fresh_state(), "event": {"type": "timeout"}}
        lines = [{"type": "hello", "protocol": 1}, step, step, step]
        process.communicate(b"".join(json.dumps(line).encode() + b"\n" for line in lines), timeout=10)
        with open(stats) as file:
            figures = json.load(file)
        self.assertEqual(figures["steps"], 3)
        self.assertGreater(figures["handlerSeconds"], 0)
        self.assertGreater(figures["totalSeconds"], figures["handlerSeconds"])


class ElectionTests(NodeTestCase):
    def test_three_servers_elect_s1(self):
        cluster = self.cluster(3)
        cluster.step("s1", {"type": "timeout"})
        self.assertEqual(cluster.states["s1"]["role"], "candidate")
        self.assertEqual(cluster.states["s1"]["term"], 1)
        self.assertEqual(cluster.states["s1"]["votedFor"], "s1")
        self.assertEqual(cluster.pending("s1", "s2"),
                         [{"type": "RequestVote", "term": 1, "candidate": "s1", "lastLogIndex": 0,
                           "lastLogTerm": 0, "transfer": False}])
        self.assertEqual([target for _, target, _ in cluster.in_flight], ["s2", "s3"])  # cluster order

        cluster.deliver("s1", "s2")
        self.assertEqual(cluster.states["s2"]["votedFor"], "s1")
        self.assertTrue(cluster.last_answer["resetTimer"])  # a granted vote restarts the timer
        cluster.deliver("s2", "s1")
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        self.assertEqual(cluster.states["s1"]["votes"], ["s1", "s2"])
        self.assertEqual(cluster.states["s1"]["nextIndex"], {"s2": 1, "s3": 1})
        self.assertEqual(cluster.states["s1"]["matchIndex"], {"s2": 0, "s3": 0})
        self.assertEqual(len(cluster.pending("s1", "s2")), 1)  # AppendEntries at once

        cluster.settle()
        self.assertEqual([cluster.states[name]["role"] for name in cluster.names], ["leader", "follower", "follower"])
        self.assertEqual(cluster.states["s1"]["votes"], ["s1", "s2", "s3"])  # a late grant still counts

    def test_fields_come_in_the_protocol_pages_order(self):
        cluster = self.cluster(3)
        cluster.step("s1", {"type": "timeout"})
        self.assertEqual(list(cluster.states["s1"]), ["role", "term", "votedFor", "log", "commitIndex", "votes"])
        self.assertEqual(list(cluster.pending("s1", "s2")[0]),
                         ["type", "term", "candidate", "lastLogIndex", "lastLogTerm", "transfer"])
        cluster.deliver("s1", "s2")
        self.assertEqual(list(cluster.pending("s2", "s1")[0]), ["type", "term", "granted"])
        cluster.deliver("s2", "s1")
        self.assertEqual(list(cluster.pending("s1", "s2")[0]),
                         ["type", "term", "leader", "prevLogIndex", "prevLogTerm", "entries", "leaderCommit"])
        cluster.deliver("s1", "s2")
        self.assertEqual(list(cluster.pending("s2", "s1")[0]), ["type", "term", "success", "matchIndex"])
        self.assertEqual(list(cluster.last_answer), ["state", "send", "resetTimer", "notes"])

    def test_one_vote_per_term(self):
        cluster = self.cluster(3)
        cluster.step("s1", {"type": "timeout"})
        cluster.step("s3", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s3", "s2")
        self.assertEqual(cluster.states["s2"]["votedFor"], "s1")
        self.assertEqual(cluster.pending("s2", "s3"), [{"type": "RequestVoteResponse", "term": 1, "granted": False}])
        self.assertFalse(cluster.last_answer["resetTimer"])  # a refusal restarts nothing

    def test_the_up_to_date_rule_refuses_a_shorter_log_of_the_same_last_term(self):
        cluster = self.cluster(3)
        cluster.states["s1"].update(term=2, log=entries(1, 2))
        cluster.states["s2"].update(term=2, log=entries(1, 2, 2))
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        self.assertEqual(cluster.states["s2"]["term"], 3)  # the newer term is taken even so
        self.assertIsNone(cluster.states["s2"]["votedFor"])
        self.assertEqual(cluster.pending("s2", "s1"), [{"type": "RequestVoteResponse", "term": 3, "granted": False}])

    def test_the_up_to_date_rule_prefers_a_higher_last_term_over_length(self):
        cluster = self.cluster(3)
        cluster.states["s1"].update(term=3, log=entries(3))
        cluster.states["s2"].update(term=3, log=entries(1, 1, 1))
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        self.assertEqual(cluster.states["s2"]["votedFor"], "s1")

    def test_an_older_request_is_refused_with_the_own_term_and_an_older_response_ignored(self):
        cluster = self.cluster(3)
        cluster.states["s2"].update(term=5)
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        self.assertEqual(cluster.pending("s2", "s1"), [{"type": "RequestVoteResponse", "term": 5, "granted": False}])
        self.assertEqual(cluster.states["s2"]["term"], 5)
        # The refusal's newer term demotes the candidate before it counts anything.
        cluster.deliver("s2", "s1")
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("follower", 5))
        # s3's grant for term 1 arrives late: a stale response, ignored.
        cluster.deliver("s1", "s3")
        cluster.deliver("s3", "s1")
        self.assertEqual(cluster.states["s1"]["role"], "follower")
        self.assertEqual(cluster.last_answer["send"], [])

    def test_a_candidate_that_sees_appendentries_of_its_term_steps_down(self):
        cluster = self.cluster(3)
        cluster.step("s1", {"type": "timeout"})
        cluster.step("s2", {"type": "timeout"})
        cluster.deliver("s1", "s3")
        cluster.deliver("s3", "s1")  # s1 wins term 1 with s3's vote
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        cluster.drop("s1", "s2")  # its RequestVote, refused anyway
        cluster.deliver("s1", "s2")  # the AppendEntries of term 1
        self.assertEqual(cluster.states["s2"]["role"], "follower")
        self.assertEqual(cluster.states["s2"]["term"], 1)
        self.assertTrue(cluster.last_answer["resetTimer"])
        self.assertEqual(cluster.pending("s2", "s1")[-1],
                         {"type": "AppendEntriesResponse", "term": 1, "success": True, "matchIndex": 0})

    def test_a_leader_that_sees_a_newer_term_steps_down(self):
        cluster = self.cluster(3)
        cluster.step("s1", {"type": "timeout"})
        cluster.settle()
        cluster.step("s2", {"type": "timeout"})
        cluster.deliver("s2", "s1")
        self.assertEqual(cluster.states["s1"]["role"], "follower")
        self.assertEqual(cluster.states["s1"]["term"], 2)
        self.assertNotIn("nextIndex", cluster.states["s1"])
        self.assertNotIn("votes", cluster.states["s1"])

    def test_a_one_server_cluster_elects_itself_and_commits_at_once(self):
        cluster = self.cluster(1)
        cluster.step("s1", {"type": "timeout"})
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        cluster.step("s1", {"type": "submit", "value": "x=1"})
        self.assertEqual(cluster.states["s1"]["commitIndex"], 1)
        self.assertEqual(cluster.in_flight, [])

    def test_a_submit_to_a_follower_is_refused(self):
        cluster = self.cluster(3)
        answer = cluster.step("s2", {"type": "submit", "value": "x=1"})
        self.assertIn("not LEADER", answer["refused"])
        self.assertEqual(cluster.states["s2"]["log"], [])

    def test_election_timeout_does_not_ask_for_a_timer_reset(self):
        cluster = self.cluster(3)
        self.assertFalse(cluster.step("s1", {"type": "timeout"})["resetTimer"])  # raftsh resets it itself


class ReplicationTests(NodeTestCase):
    def elect(self, cluster, name):
        cluster.step(name, {"type": "timeout"})
        cluster.settle()
        self.assertEqual(cluster.states[name]["role"], "leader")

    def test_an_entry_is_replicated_and_committed_everywhere(self):
        cluster = self.cluster(3)
        self.elect(cluster, "s1")
        cluster.step("s1", {"type": "submit", "value": "x=1"})
        self.assertEqual(cluster.pending("s1", "s2")[0]["entries"], [{"term": 1, "value": "x=1"}])
        cluster.settle()
        self.assertEqual(cluster.states["s1"]["commitIndex"], 1)
        self.assertEqual(cluster.states["s1"]["matchIndex"], {"s2": 1, "s3": 1})
        self.assertEqual(cluster.states["s2"]["commitIndex"], 0)  # learns it with the next AppendEntries
        cluster.step("s1", {"type": "heartbeat"})
        cluster.settle()
        self.assertEqual([cluster.states[name]["commitIndex"] for name in cluster.names], [1, 1, 1])

    def test_noop_appends_an_empty_entry_on_election(self):
        cluster = self.cluster(3, noop=True)
        self.elect(cluster, "s1")
        self.assertEqual(cluster.states["s1"]["log"], [{"term": 1, "value": None}])
        self.assertEqual(cluster.states["s1"]["commitIndex"], 1)

    def test_figure_8c_an_old_entry_on_a_majority_is_not_committed_by_counting(self):
        # Figure 8 (c): s1 leads term 4 with 1 2 in its log; the term-2 entry
        # reaches a majority, but s1 may not commit it by counting (5.4.2).
        cluster = self.cluster(5)
        cluster.states["s1"].update(term=3, log=entries(1, 2))
        cluster.states["s2"].update(term=3, log=entries(1, 2))
        cluster.states["s3"].update(term=3, log=entries(1))
        cluster.states["s4"].update(term=3, log=entries(1))
        cluster.states["s5"].update(term=3, log=entries(1, 3))
        cluster.step("s1", {"type": "timeout"})
        for voter in ("s2", "s3", "s4"):
            cluster.deliver("s1", voter)
            cluster.deliver(voter, "s1")
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("leader", 4))
        cluster.drop("s1", "s5")
        cluster.deliver_from("s1")  # heartbeats: s3 refuses (no entry 2)
        cluster.deliver_to("s1")
        cluster.deliver("s1", "s3")  # the retry carries entry 2
        cluster.deliver("s3", "s1")
        self.assertEqual(cluster.log_terms("s3"), [1, 2])
        self.assertEqual(cluster.states["s1"]["matchIndex"]["s3"], 2)
        self.assertEqual(cluster.states["s1"]["commitIndex"], 0)  # on s1, s2, s3, yet not committed
        # An entry of its own term, once on a majority, commits both.
        cluster.step("s1", {"type": "submit", "value": "x=4"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s2", "s1")
        self.assertEqual(cluster.states["s1"]["commitIndex"], 0)
        cluster.deliver("s1", "s3")
        cluster.deliver("s3", "s1")
        self.assertEqual(cluster.states["s1"]["commitIndex"], 3)

    def test_log_repair_after_a_conflict_keeps_the_match_and_cuts_at_the_conflict(self):
        cluster = self.cluster(3)
        cluster.states["s1"].update(term=3, log=entries(1, 1, 3))
        cluster.states["s2"].update(term=3, log=entries(1, 1, 3))
        cluster.states["s3"].update(term=2, log=entries(1, 2, 2, 2))
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s2", "s1")
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        cluster.drop("s1", "s3")  # the RequestVote
        first = cluster.deliver("s1", "s3")  # prevLogIndex 3: s3 has term 2 there
        self.assertEqual((first["prevLogIndex"], first["prevLogTerm"]), (3, 3))
        self.assertEqual(cluster.pending("s3", "s1")[-1]["success"], False)
        # Each refusal steps nextIndex back by one and resends at once.
        for prev_log_index in (2, 1):
            cluster.deliver("s3", "s1")
            self.assertEqual(cluster.states["s1"]["nextIndex"]["s3"], prev_log_index + 1)
            retry = cluster.deliver("s1", "s3")
            self.assertEqual(retry["prevLogIndex"], prev_log_index)
        self.assertEqual(retry["entries"], cluster.states["s1"]["log"][1:])
        self.assertEqual(cluster.log_terms("s3"), [1, 1, 3])  # entry 1 kept, cut at 2
        cluster.deliver("s3", "s1")
        self.assertEqual(cluster.states["s1"]["matchIndex"]["s3"], 3)
        self.assertEqual(cluster.states["s1"]["nextIndex"]["s3"], 4)

    def test_a_late_appendentries_does_not_cut_matching_entries(self):
        cluster = self.cluster(3)
        self.elect(cluster, "s1")
        cluster.step("s1", {"type": "submit", "value": "a"})
        cluster.step("s1", {"type": "submit", "value": "b"})
        cluster.deliver("s1", "s2")  # entry 1 only
        cluster.deliver("s1", "s2")  # entries 1-2
        self.assertEqual(cluster.log_terms("s2"), [1, 1])
        late = {"type": "AppendEntries", "term": 1, "leader": "s1", "prevLogIndex": 0, "prevLogTerm": 0,
                "entries": [{"term": 1, "value": "a"}], "leaderCommit": 0}
        cluster.step("s2", {"type": "receive", "from": "s1", "message": late})
        self.assertEqual(cluster.log_terms("s2"), [1, 1])
        self.assertEqual(cluster.last_answer["send"][0]["matchIndex"], 1)

    def test_a_follower_commits_no_further_than_the_request_covered(self):
        cluster = self.cluster(3)
        cluster.states["s2"].update(term=1, log=entries(1, 1, 1))
        message = {"type": "AppendEntries", "term": 1, "leader": "s1", "prevLogIndex": 1, "prevLogTerm": 1,
                   "entries": [], "leaderCommit": 3}
        cluster.step("s2", {"type": "receive", "from": "s1", "message": message})
        self.assertEqual(cluster.states["s2"]["commitIndex"], 1)

    def test_a_cut_below_the_commit_index_keeps_the_commit_index_in_the_log(self):
        # Only a broken rule elsewhere lets a leader cut committed entries; the
        # answer must still have its commit index within the log (protocol section 4).
        cluster = self.cluster(3)
        cluster.states["s2"].update(term=1, log=entries(1, 1), commitIndex=2)
        message = {"type": "AppendEntries", "term": 2, "leader": "s1", "prevLogIndex": 0, "prevLogTerm": 0,
                   "entries": [{"term": 2, "value": "y"}], "leaderCommit": 0}
        cluster.step("s2", {"type": "receive", "from": "s1", "message": message})
        self.assertEqual((cluster.log_terms("s2"), cluster.states["s2"]["commitIndex"]), ([2], 1))

    def test_the_same_request_always_gets_the_same_answer(self):
        cluster = self.cluster(5)
        self.elect(cluster, "s3")
        request = {"type": "step", "server": "s3", "servers": cluster.names, "options": cluster.options,
                   "state": cluster.states["s3"], "event": {"type": "submit", "value": "x"}}
        first = self.node.ask(request)
        other = Node()
        try:
            self.assertEqual(json.dumps(first), json.dumps(other.ask(request)))
        finally:
            other.close()


class ExtensionTests(NodeTestCase):
    """raftscript.md section 10: Pre-Vote, CheckQuorum, leadership transfer."""

    def cluster(self, size, **options):
        cluster = Cluster(self.node, size)
        cluster.options.update(options)
        return cluster

    def elect(self, cluster, name):
        cluster.step(name, {"type": "timeout"})
        cluster.settle()
        self.assertEqual(cluster.states[name]["role"], "leader")

    def test_the_handshake_lists_the_features(self):
        answer = self.node.ask({"type": "hello", "protocol": 1})
        self.assertEqual(answer["features"], ["prevote", "checkquorum", "transfer"])

    def test_prevote_asks_first_and_changes_no_term_or_vote(self):
        cluster = self.cluster(3, prevote=True)
        cluster.step("s1", {"type": "timeout"})
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("precandidate", 0))
        self.assertEqual(cluster.states["s1"]["votes"], ["s1"])
        self.assertIsNone(cluster.states["s1"]["votedFor"])
        self.assertEqual(cluster.pending("s1", "s2"),
                         [{"type": "PreVote", "term": 1, "candidate": "s1", "lastLogIndex": 0, "lastLogTerm": 0}])
        cluster.deliver("s1", "s2")
        self.assertEqual(cluster.states["s2"], fresh_state())  # no term, vote or role change
        self.assertFalse(cluster.last_answer["resetTimer"])  # nor a timer reset
        self.assertEqual(cluster.pending("s2", "s1"), [{"type": "PreVoteResponse", "term": 1, "granted": True}])
        cluster.deliver("s2", "s1")
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("candidate", 1))
        self.assertTrue(cluster.last_answer["resetTimer"])  # CANDIDATE after pre-votes
        self.assertEqual(cluster.pending("s1", "s2")[0]["type"], "RequestVote")
        cluster.settle()
        self.assertEqual(cluster.states["s1"]["role"], "leader")

    def test_prevote_refused_after_hearing_from_a_leader_so_a_returning_server_disrupts_nothing(self):
        cluster = self.cluster(3, prevote=True)
        cluster.step("s1", {"type": "timeout"})
        cluster.settle()
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        cluster.step("s3", {"type": "timeout"})  # s3 lost contact (say, a partition)
        cluster.deliver("s3", "s2")
        self.assertEqual(cluster.pending("s2", "s3"), [{"type": "PreVoteResponse", "term": 1, "granted": False}])
        cluster.deliver("s3", "s1")  # a PreVote of a newer term does not demote the leader
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("leader", 1))
        cluster.settle()
        self.assertEqual((cluster.states["s3"]["role"], cluster.states["s3"]["term"]), ("precandidate", 1))
        self.assertEqual(cluster.states["s3"]["votes"], ["s3"])

    def test_a_refusal_of_a_newer_term_makes_a_precandidate_a_follower(self):
        cluster = self.cluster(3, prevote=True)
        cluster.states["s2"].update(term=4)
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s2", "s1")
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("follower", 4))

    def test_a_late_grant_of_an_earlier_round_of_the_same_term_counts(self):
        cluster = self.cluster(3, prevote=True)
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        cluster.step("s1", {"type": "timeout"})  # a new round: its pre-votes are forgotten
        self.assertEqual(cluster.states["s1"]["votes"], ["s1"])
        cluster.deliver("s2", "s1")  # the grant of the first round
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("candidate", 1))

    def test_checkquorum_a_leader_that_heard_from_no_majority_steps_down(self):
        cluster = self.cluster(3, checkquorum=True)
        self.elect(cluster, "s1")
        self.assertEqual(cluster.states["s1"]["heardFrom"], ["s2", "s3"])
        cluster.step("s1", {"type": "timeout"})  # heard from both: stays, forgets
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["heardFrom"]), ("leader", []))
        cluster.step("s1", {"type": "heartbeat"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s2", "s1")
        cluster.step("s1", {"type": "timeout"})  # s1 and s2: a majority of 3
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        cluster.step("s1", {"type": "timeout"})  # nobody since
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("follower", 1))

    def test_checkquorum_stickiness_ignores_a_newer_requestvote_after_hearing_from_a_leader(self):
        cluster = self.cluster(3, checkquorum=True)
        self.elect(cluster, "s1")
        cluster.states["s3"].update(term=5)
        cluster.step("s3", {"type": "timeout"})
        cluster.deliver("s3", "s2")
        self.assertEqual(cluster.states["s2"]["term"], 1)
        self.assertEqual(cluster.last_answer["send"], [])  # no answer at all
        cluster.deliver("s3", "s1")  # a leader counts as having heard from a leader
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("leader", 1))
        cluster.step("s2", {"type": "timeout"})  # the timer clears contact; s2 now listens
        cluster.step("s3", {"type": "timeout"})
        cluster.deliver("s3", "s2")
        self.assertEqual(cluster.states["s2"]["term"], 7)

    def test_transfer_to_a_caught_up_peer_sends_timeoutnow_at_once(self):
        cluster = self.cluster(3, checkquorum=True, prevote=True)
        self.elect(cluster, "s1")
        cluster.step("s1", {"type": "transfer", "to": "s2"})
        self.assertEqual(cluster.states["s1"]["transferTo"], "s2")
        self.assertEqual(cluster.pending("s1", "s2"), [{"type": "TimeoutNow", "term": 1}])
        answer = cluster.step("s1", {"type": "submit", "value": "x"})
        self.assertIn("handing leadership over to s2", answer["refused"])
        cluster.deliver("s1", "s2")  # even with prevote on: CANDIDATE at once, marked as a transfer
        self.assertEqual((cluster.states["s2"]["role"], cluster.states["s2"]["term"]), ("candidate", 2))
        self.assertTrue(cluster.last_answer["resetTimer"])
        self.assertTrue(cluster.pending("s2", "s3")[0]["transfer"])
        cluster.settle()  # stickiness lets a transfer's RequestVote through
        self.assertEqual([cluster.states[name]["role"] for name in cluster.names], ["follower", "leader", "follower"])
        self.assertNotIn("transferTo", cluster.states["s1"])

    def test_transfer_to_a_lagging_peer_catches_it_up_then_sends_timeoutnow_once(self):
        cluster = self.cluster(3)
        self.elect(cluster, "s1")
        cluster.step("s1", {"type": "submit", "value": "x"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s2", "s1")
        cluster.drop("s1", "s3")
        cluster.step("s1", {"type": "transfer", "to": "s3"})
        self.assertEqual([message["type"] for message in cluster.pending("s1", "s3")], ["AppendEntries"])
        cluster.step("s1", {"type": "transfer", "to": "s3"})  # the same target: nothing new
        self.assertEqual(cluster.last_answer["send"], [])
        cluster.deliver("s1", "s3")
        cluster.deliver("s3", "s1")
        self.assertEqual([message["type"] for message in cluster.pending("s1", "s3")], ["TimeoutNow"])
        cluster.step("s1", {"type": "heartbeat"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s1", "s3")  # the TimeoutNow
        cluster.deliver("s1", "s3")  # the heartbeat, of an older term now
        cluster.drop("s3", "s1")  # its RequestVote
        cluster.deliver("s3", "s1")  # the heartbeat's refusal carries term 2
        self.assertEqual(cluster.states["s1"]["role"], "follower")

    def test_a_leaders_timeout_ends_a_pending_transfer(self):
        cluster = self.cluster(3)
        self.elect(cluster, "s1")
        cluster.step("s1", {"type": "submit", "value": "x"})
        cluster.step("s1", {"type": "transfer", "to": "s3"})
        cluster.step("s1", {"type": "timeout"})
        self.assertNotIn("transferTo", cluster.states["s1"])
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        cluster.step("s1", {"type": "submit", "value": "y"})
        self.assertEqual(len(cluster.states["s1"]["log"]), 2)


class BuggyVariantTests(unittest.TestCase):
    """Each variant in buggy/ differs from the correct node where its bug says."""

    def cluster(self, variant, size):
        node = Node([sys.executable, os.path.join(HERE, "buggy", variant + ".py")])
        self.addCleanup(node.close)
        return Cluster(node, size)

    def test_vote_twice_grants_a_second_candidate_of_the_same_term(self):
        cluster = self.cluster("vote_twice", 3)
        cluster.step("s1", {"type": "timeout"})
        cluster.step("s3", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        cluster.deliver("s3", "s2")
        self.assertEqual(cluster.pending("s2", "s3"), [{"type": "RequestVoteResponse", "term": 1, "granted": True}])

    def test_no_uptodate_check_votes_for_a_shorter_log(self):
        cluster = self.cluster("no_uptodate_check", 3)
        cluster.states["s2"].update(term=1, log=entries(1, 1))
        cluster.step("s1", {"type": "timeout"})
        cluster.deliver("s1", "s2")
        self.assertEqual(cluster.states["s2"]["votedFor"], "s1")

    def test_commit_old_terms_commits_an_earlier_term_by_counting(self):
        cluster = self.cluster("commit_old_terms", 3)
        cluster.states["s1"].update(term=1, log=entries(1))
        cluster.step("s1", {"type": "timeout"})
        cluster.settle()  # elected in term 2; entry 1 (term 1) reaches s2 and s3
        self.assertEqual(cluster.states["s1"]["role"], "leader")
        self.assertEqual(cluster.states["s1"]["commitIndex"], 1)

    def test_keep_stale_term_leaves_a_leader_leading_in_the_newer_term(self):
        cluster = self.cluster("keep_stale_term", 3)
        cluster.step("s1", {"type": "timeout"})
        cluster.settle()
        cluster.step("s2", {"type": "timeout"})
        cluster.deliver("s2", "s1")
        self.assertEqual((cluster.states["s1"]["role"], cluster.states["s1"]["term"]), ("leader", 2))

    def test_truncate_always_cuts_matching_entries_on_a_late_request(self):
        cluster = self.cluster("truncate_always", 3)
        cluster.states["s2"].update(term=1, log=entries(1, 1))
        late = {"type": "AppendEntries", "term": 1, "leader": "s1", "prevLogIndex": 0, "prevLogTerm": 0,
                "entries": entries(1), "leaderCommit": 0}
        cluster.step("s2", {"type": "receive", "from": "s1", "message": late})
        self.assertEqual(cluster.log_terms("s2"), [1])


if __name__ == "__main__":
    unittest.main()
