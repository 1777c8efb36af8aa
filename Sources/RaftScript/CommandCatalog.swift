/// Every command of the language with its usage, for `help`, suggestions and completion.
public struct CommandInfo: Sendable {
    public enum Group: String, Sendable, CaseIterable {
        case events = "Events"
        case network = "Network"
        case state = "Setting up"
        case inspect = "Inspecting and checking"
        case session = "Session"
    }

    public let name: String
    public let group: Group
    public let usage: [String]
    public let summary: String
    public let example: String
    public let details: String

    public init(name: String, group: Group, usage: [String], summary: String, example: String, details: String) {
        self.name = name
        self.group = group
        self.usage = usage
        self.summary = summary
        self.example = example
        self.details = details
    }
}

public enum CommandCatalog {
    public static let commands: [CommandInfo] = [
        CommandInfo(
            name: "timeout", group: .events, usage: ["timeout S…"],
            summary: "fire election timers: each becomes CANDIDATE (PRECANDIDATE with prevote on) and asks for votes",
            example: "timeout s1",
            details: "A FOLLOWER, PRECANDIDATE or CANDIDATE starts an election: term + 1, votes for itself, RequestVote to every peer; with `set prevote on` it becomes PRECANDIDATE instead, keeps its term and vote and sends PreVote(term + 1) to every peer, and becomes CANDIDATE once a majority (its own included) granted one. A one-server cluster elects itself at once. Every timeout clears the server's leader contact and restarts its election timer. Error if S is down, or LEADER unless checkquorum is on or S has a transfer pending: then a LEADER's timer fires, which ends a pending transfer and, with checkquorum on, makes a leader that has not heard from a majority (itself included) since its last check a FOLLOWER of the same term. Several names fire in the order given."
        ),
        CommandInfo(
            name: "heartbeat", group: .events, usage: ["heartbeat S"],
            summary: "leader S sends AppendEntries to every peer",
            example: "heartbeat s1",
            details: "Each AppendEntries carries the entries from that peer's nextIndex on. Error if S is not LEADER."
        ),
        CommandInfo(
            name: "submit", group: .events, usage: ["submit S VALUE…"],
            summary: "a client request: a leader appends it and replicates at once",
            example: "submit leader x=1",
            details: "If S is LEADER it appends (currentTerm, VALUE) and sends AppendEntries to every peer. Otherwise, or while S hands leadership over (`transfer`), nothing changes and raftsh says so (not an error)."
        ),
        CommandInfo(
            name: "transfer", group: .events, usage: ["transfer S T"],
            summary: "leader S hands leadership to T (TimeoutNow, Raft thesis 3.10)",
            example: "transfer leader s3",
            details: "If T's matchIndex is S's last log index, S sends TimeoutNow to T at once; otherwise it sends T AppendEntries and sends TimeoutNow (once) when a successful response shows T caught up. A FOLLOWER receiving TimeoutNow of its term starts an election at once, as CANDIDATE even with prevote on, its RequestVotes marked `transfer` so that leader stickiness lets them through. Until the transfer ends S takes no client request. A transfer to another target replaces a pending one; one to the pending target changes nothing. It ends when S stops being LEADER or S's election timer fires (which starts afresh with each new transfer and runs under `tick`). Error if S is not LEADER, if T is S or unknown."
        ),
        CommandInfo(
            name: "deliver", group: .network,
            usage: ["deliver A->B [N|all]", "deliver A->B nth K", "deliver A->*", "deliver *->B", "deliver all"],
            summary: "deliver in-flight messages in the order sent",
            example: "deliver s1->s3",
            details: "A->B takes the oldest message on that link (or the N oldest, or all); an error if there are fewer. `nth K` takes only the K-th oldest on the link (1 is the oldest), to deliver out of order. A->* and *->B take every message now in flight from A or to B; `deliver all` every message in flight when it starts; with none, these three say \"nothing in flight\" (not an error). Replies stay in flight."
        ),
        CommandInfo(
            name: "settle", group: .network, usage: ["settle [N]"],
            summary: "deliver everything, replies included, until nothing is in flight",
            example: "settle",
            details: "Delivers in send order until none are left, at most N deliveries (default 100000, N up to 10000000; an error if the bound is reached). Timers do not fire."
        ),
        CommandInfo(
            name: "drop", group: .network, usage: ["drop A->B [N|all]", "drop A->B nth K", "drop A->*", "drop *->B", "drop all"],
            summary: "discard in-flight messages without delivering them",
            example: "drop s1->s2 all",
            details: "Selects messages as `deliver` does, errors and \"nothing in flight\" included, and discards them."
        ),
        CommandInfo(
            name: "duplicate", group: .network, usage: ["duplicate A->B [nth K]"],
            summary: "put a second copy of an in-flight message in flight",
            example: "duplicate s1->s2",
            details: "Copies the oldest message on the link (or the K-th oldest); the copy is sent again now, behind everything in flight. Networks may duplicate: Raft must not care."
        ),
        CommandInfo(
            name: "partition", group: .network, usage: ["partition G1 | G2 | …"],
            summary: "split the network into groups",
            example: "partition s1 s2 | s3 s4 s5",
            details: "Servers not named form one more group. Messages in flight between groups are dropped, and so is every later one until `heal`. A new partition replaces the old one."
        ),
        CommandInfo(
            name: "isolate", group: .network, usage: ["isolate S"],
            summary: "cut S off from everyone else (partition S)",
            example: "isolate s1", details: "Shorthand for `partition S`."
        ),
        CommandInfo(
            name: "cut", group: .network, usage: ["cut A->B", "cut A B"],
            summary: "cut one link one way (A->B) or both ways (A B): a partial partition",
            example: "cut s1->s3",
            details: "Every message from A to B is lost, those in flight and those sent later, until `heal A->B` or `heal`. `cut A B` cuts both directions. Cuts and partitions are independent: a new `partition` leaves cuts in place. A link cut already stays cut (raftsh says so). `cut A A` is an error. `show` and `show net` list the cut links."
        ),
        CommandInfo(
            name: "heal", group: .network, usage: ["heal", "heal A->B", "heal A B"],
            summary: "full connectivity again, or one cut link healed", example: "heal",
            details: "`heal` removes the partition and every cut link. `heal A->B` heals that one cut link, `heal A B` both directions, and leaves the partition; healing a link that is not cut is not an error (raftsh says so). Nothing dropped comes back."
        ),
        CommandInfo(
            name: "crash", group: .events, usage: ["crash S…"],
            summary: "servers go down; messages to them are lost",
            example: "crash s2 s3",
            details: "Messages in flight to S are dropped, and so are later ones while it is down. Messages S already sent stay in flight. Several names crash in the order given. Error if S is already down (then none of them crashes)."
        ),
        CommandInfo(
            name: "restart", group: .events, usage: ["restart S…"],
            summary: "servers come back as FOLLOWERs with their persistent state",
            example: "restart s2 s3",
            details: "currentTerm, votedFor and the log survive; the commit index, leader state and votes are reset. Several names restart in the order given. Error if S is up (then none of them restarts)."
        ),
        CommandInfo(
            name: "tick", group: .events, usage: ["tick [N]", "tick until leader [max N]"],
            summary: "advance logical time with automatic timers and delivery",
            example: "tick until leader",
            details: "Each tick delivers the messages due (a message is due its latency after it was sent; `loss` may lose it), then fires expired timers in cluster order (see `set election-timeout`, `heartbeat-interval`, `latency`, `loss`, `seed`). Election timers start at the first tick, counted from tick 0, and start afresh when a server becomes CANDIDATE, grants a vote, hears the leader, stops being LEADER or restarts. `tick until leader` stops when a leader is backed by a majority of live servers in its term (no tick if there is one already; error after N ticks, default 1000). N is at most 100000 in both forms; past a second a terminal shows progress, and Ctrl-C stops it."
        ),
        CommandInfo(
            name: "cluster", group: .state, usage: ["cluster N", "cluster NAME NAME…"],
            summary: "replace the cluster with fresh servers",
            example: "cluster 3",
            details: "N fresh servers s1 … sN (1 to 1000), or servers with the given names: an ASCII letter, then ASCII letters, digits, `_`, `-` or `.`, and not a word of the language (`no`, `safe`, a command…). Options are kept."
        ),
        CommandInfo(
            name: "set", group: .state,
            usage: [
                "set S term N", "set S log T[:VALUE]…", "set S voted S2|none", "set S commit N",
                "set seed N", "set election-timeout LO HI", "set heartbeat-interval N", "set latency LO HI",
                "set loss P", "set noop on|off", "set prevote on|off", "set checkquorum on|off", "set trace on|off",
                "set unsafe VARIANT on|off",
            ],
            summary: "set a server's state or an option (sends nothing, changes no role)",
            example: "set s1 log 1 1 4 4 5",
            details: "term N must be at least S's last log term and clears votedFor. Log terms must not decrease; a last term above currentTerm raises it. The commit index must be within the log. `set unsafe VARIANT on` breaks one safety rule on purpose: commit-old-terms, no-uptodate-check, vote-twice, keep-stale-term (a leader or candidate adopts a newer term but keeps its role), truncate-always. `set prevote on`: Pre-Vote (Raft thesis 9.6), an election timeout makes a server PRECANDIDATE first (see `timeout`); a server grants a pre-vote when the candidate's log is at least as up-to-date and it has not heard from a leader, and changes nothing of its own. `set checkquorum on`: a LEADER's election timer runs, and when it fires a leader that has not heard from a majority since the last check steps down (thesis 6.2); a server that has heard from a leader ignores a RequestVote of a newer term unless it comes from a transfer (leader stickiness, thesis 4.2.3). Leader contact: set by AppendEntries of the current term, cleared by a timeout, a restart or a newer term; a LEADER always has it; kept only while prevote or checkquorum is on."
        ),
        CommandInfo(
            name: "show", group: .inspect, usage: ["show", "show S", "show log", "show net", "show timeline [N]"],
            summary: "the servers, one server, the logs as a grid, the messages in flight, or the run as a chart",
            example: "show log",
            details: "Changes nothing. `show timeline` (in the shell) draws the session's last N rows (default: what fits the terminal) as a text sequence chart: a column per server in its role's colour, each message an arrow at the row it was delivered, a role's first letter where it changes, ✕ where a message was lost; `chart FILE` draws the whole run as a picture or a page."
        ),
        CommandInfo(
            name: "expect", group: .inspect,
            usage: [
                "expect S leader|follower|candidate|precandidate|down|up", "expect S term N", "expect S voted S2|none",
                "expect S log T…|empty", "expect S commit N", "expect S votes N", "expect leader S",
                "expect leaders N", "expect no leader", "expect pending N", "expect pending A->B N", "expect safe",
                "expect not ASSERTION", "expect error COMMAND…", "expect not error COMMAND…",
            ],
            summary: "check the cluster; a failure says what was expected and found",
            example: "expect s1 leader",
            details: "`expect S votes N` counts a LEADER's or CANDIDATE's votes of its term, or a PRECANDIDATE's pre-votes of its round, its own included. `expect safe` checks the four safety properties of the paper's Figure 3 over the whole run since the cluster was made: Election Safety, Log Matching, Leader Completeness, State Machine Safety. `expect not ASSERTION` holds when ASSERTION does not (`expect not safe`). `expect error COMMAND` holds when COMMAND is an error, and `expect not error COMMAND` when it would succeed: COMMAND is tried on a copy of the cluster and changes nothing either way, prints nothing, and must parse (a line that does not parse is an error of the script). A failing `--node` program is not the command's error: it stops the script."
        ),
        CommandInfo(
            name: "echo", group: .inspect, usage: ["echo TEXT…"],
            summary: "print the text", example: "echo Figure 8 (a)", details: "Changes nothing."
        ),
        CommandInfo(
            name: "source", group: .session, usage: ["source FILE"],
            summary: "run a script's commands here", example: "source scripts/rules/split-vote.raftscript",
            details: "An error stops that script; failed expectations are reported and it goes on."
        ),
        CommandInfo(
            name: "help", group: .session, usage: ["help", "help COMMAND"],
            summary: "the commands, or one command's usage and an example", example: "help deliver",
            details: ""
        ),
    ]

    public static var names: [String] { commands.map(\.name) }

    /// The nearest known word, if it is close enough to be a likely typo.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let scored = candidates.map { ($0, editDistance(lowered, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(1, min(3, best.0.count / 3))
        if best.1 <= limit || (lowered.count >= 3 && best.0.hasPrefix(lowered)) { return best.0 }
        return nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
