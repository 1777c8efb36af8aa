import RaftCluster
import RaftCore

/// `show`, `show S`, `show log`, `show net`.
extension Interpreter {
    /// Logs longer than this are shown by their last entries.
    static let logColumns = 40

    func show(_ target: ShowTarget) throws(CommandError) -> [String] {
        switch target {
        case .cluster: showCluster()
        case .server(let ref): showServer(try resolve(ref))
        case .log: showLogGrid()
        case .net: showNetwork()
        }
    }

    private func group(_ id: ServerID) -> String {
        guard let groups = cluster.groups else { return "-" }
        return "\(groups[id.index] + 1)"
    }

    private func inbox(_ id: ServerID) -> Int {
        cluster.network.messages.count { $0.to == id }
    }

    /// Whether logical time has moved (a `tick` ran): only then do the views
    /// show the clock, the timers' deadlines and the messages' due ticks.
    var clockRuns: Bool { cluster.now > 0 }

    /// The timer a server runs, for the `timer` column: a LEADER's next heartbeat,
    /// anyone else's election deadline (section 6), as ticks.
    private func timer(_ id: ServerID) -> String {
        guard cluster.isUp[id.index] else { return "-" }
        if cluster[id].role.kind == .leader {
            let heartbeat = cluster.heartbeatDue[id.index].map { "heartbeat \($0)" } ?? "-"
            return heartbeat + (cluster.electionDeadline[id.index].map { ", election \($0)" } ?? "")
        }
        return cluster.electionDeadline[id.index].map { "election \($0)" } ?? "-"
    }

    private func showCluster() -> [String] {
        var inboxes = Array(repeating: 0, count: cluster.size)
        for message in cluster.network.messages { inboxes[message.to.index] += 1 }
        let clock = clockRuns
        var rows = [["server", "state", "role", "term", "voted", "commit", "group", "inbox"] + (clock ? ["timer"] : []) + ["log"]]
        for server in cluster.servers {
            let id = server.id
            rows.append([
                cluster.name(id), cluster.isUp[id.index] ? "up" : "down",
                cluster.isUp[id.index] ? server.role.kind.rawValue : "-",
                "\(server.currentTerm)", name(server.votedFor), "\(server.commitIndex)", group(id),
                "\(inboxes[id.index])",
            ] + (clock ? [timer(id)] : []) + [Render.log(server.log, limit: Self.logColumns)])
        }
        let total = cluster.network.count
        let now = clock ? "tick \(cluster.now); " : ""
        var lines = Render.table(rows) + [now + "\(total) message\(total == 1 ? "" : "s") in flight" + (cluster.groups == nil ? "" : "; network partitioned")]
        if let cut = cutLinks() { lines.append("cut links: \(cut)") }
        if let program = cluster.implementation.program { lines.append("servers: \(program.description)") }
        return lines
    }

    /// `show S`'s rows about time: when S's election timer fires, or a leader's next heartbeat.
    private func timerRows(_ id: ServerID) -> [[String]] {
        guard clockRuns else { return [] }
        let now = cluster.now
        func when(_ tick: Int) -> String { "tick \(tick) (in \(tick - now) tick\(tick - now == 1 ? "" : "s"))" }
        guard cluster.isUp[id.index] else { return [["election timer", "none while down (a fresh one starts at restart)"]] }
        if cluster[id].role.kind == .leader {
            let election = cluster.electionDeadline[id.index].map { "fires at " + when($0) }
                ?? "none (a LEADER runs one only with checkquorum on or a transfer pending)"
            return [
                ["election timer", election],
                ["next heartbeat", cluster.heartbeatDue[id.index].map(when) ?? "-"],
            ]
        }
        return [["election timer", cluster.electionDeadline[id.index].map { "fires at " + when($0) } ?? "starts at the next tick"]]
    }

    private func showServer(_ id: ServerID) -> [String] {
        let server = cluster[id]
        let state = cluster.isUp[id.index] ? server.role.kind.rawValue : "down (\(server.role.kind.rawValue) when it crashed)"
        var rows: [[String]] = [
            ["server", cluster.name(id)],
        ] + (clockRuns ? [["now", "tick \(cluster.now)"]] : []) + [
            ["state", state],
            ["currentTerm", "\(server.currentTerm)"],
            ["votedFor", name(server.votedFor)],
            ["log", "\(Render.log(server.log, values: true, limit: Self.logColumns))  (\(server.log.lastIndex) entr\(server.log.lastIndex == 1 ? "y" : "ies"), last term \(server.log.lastTerm))"],
            ["commitIndex", "\(server.commitIndex)"],
        ]
        // A user's program may leave out the optional fields (node protocol, section 4).
        let program = cluster.implementation.program.map { _ in cluster.programStates[id.index] }
        if let votes = server.role.votes, program?.reportsVotes ?? true {
            rows.append(["votes", "\(votes.members.map(cluster.name).joined(separator: " ")) (\(votes.count)/\(cluster.size), \(server.majority) needed)"])
        }
        if case .leader(let leadership) = server.role, program?.reportsProgress ?? true {
            let peers = Array(server.peers)
            rows.append(["nextIndex", peers.map { "\(cluster.name($0))=\(leadership.progress[$0.index].nextIndex)" }.joined(separator: " ")])
            rows.append(["matchIndex", peers.map { "\(cluster.name($0))=\(leadership.progress[$0.index].matchIndex)" }.joined(separator: " ")])
        }
        rows += electionExtensionRows(id)
        if let program {
            if program.reportsTransfer { rows.append(["transferTo", name(program.transferTo)]) }
            for field in program.own.fields { rows.append([field.name, field.json]) }
        }
        rows += timerRows(id)
        rows.append(["group", group(id)])
        if let cut = cutLinks(touching: id) { rows.append(["cut links", cut]) }
        let sent = cluster.network.messages.count { $0.from == id }
        rows.append(["in flight", "\(inbox(id)) to it, \(sent) from it"])
        return Render.table(rows)
    }

    /// `show S`'s rows for section 10: leader contact while Pre-Vote or
    /// CheckQuorum keeps it, and a leader's pending transfer and whom it heard
    /// from since its last check (raftsh's own servers: a program's are its own fields).
    private func electionExtensionRows(_ id: ServerID) -> [[String]] {
        let server = cluster[id]
        var rows: [[String]] = []
        if cluster.configuration.keepsLeaderContact, cluster.implementation.program == nil {
            rows.append(["leader contact", server.hasLeaderContact ? (server.role.kind == .leader ? "yes (it is LEADER)" : "yes: heard from the leader of term \(server.currentTerm)") : "no"])
        }
        guard case .leader(let leadership) = server.role, cluster.implementation.program == nil else { return rows }
        if let transfer = leadership.transfer {
            rows.append(["transfer", "to \(cluster.name(transfer.target))" + (transfer.sentTimeoutNow ? ", TimeoutNow sent" : ", waiting for it to catch up")])
        }
        if cluster.configuration.checkQuorum {
            let heard = leadership.heardFrom
            rows.append(["heard from", heard.count == 0 ? "not counting yet (elected with checkquorum off)" : "\(heard.members.map(cluster.name).joined(separator: " ")) (\(heard.count)/\(cluster.size) since the last check, \(server.majority) needed)"])
        }
        return rows
    }

    /// The logs as Figures 6–8 draw them: indexes across, one row per server; a
    /// `*` marks entries the server knows are committed.
    private func showLogGrid() -> [String] {
        let longest = cluster.servers.map(\.log.lastIndex).max() ?? 0
        guard longest > 0 else { return ["every log is empty"] }
        let first = max(1, longest - Self.logColumns + 1)
        var rows = [["index"] + (first...longest).map(String.init) + ["", "commit"]]
        for server in cluster.servers {
            var row = [cluster.name(server.id)]
            for index in first...longest {
                if index <= server.log.lastIndex {
                    row.append("\(server.log[index].term)" + (index <= server.commitIndex ? "*" : ""))
                } else {
                    row.append("")
                }
            }
            row.append("")
            row.append("\(server.commitIndex)" + (cluster.isUp[server.id.index] ? "" : " (down)"))
            rows.append(row)
        }
        var lines = Render.table(rows, gap: 1)
        if first > 1 { lines.insert("(the last \(Self.logColumns) of \(longest) indexes)", at: 0) }
        lines.append("* committed")
        return lines
    }

    /// Every message in flight, then the cut links.
    private func showNetwork() -> [String] {
        let cut = cutLinks().map { ["cut links: \($0)"] } ?? []
        return messagesInFlight() + cut
    }

    private func messagesInFlight() -> [String] {
        let messages = cluster.network.messages
        guard !messages.isEmpty else { return ["nothing in flight"] }
        let clock = clockRuns
        var rows: [[String]] = []
        for (position, message) in messages.enumerated() {
            rows.append(
                ["\(position + 1).", "\(cluster.name(message.from))->\(cluster.name(message.to))"]
                    + (clock ? ["due \(message.deliverAt)"] : [])
                    + [Render.message(message.message, name: cluster.name) + Render.ownFields(cluster.ownFields(of: message.envelope))]
            )
        }
        // On a terminal, a long message wraps under its own column.
        let lines = zip(Render.table(rows), rows).flatMap { line, row in
            Render.wrap(line, width: settings.width, indent: line.count - (row.last?.count ?? 0))
        }
        return lines + (clock ? ["now tick \(cluster.now)"] : [])
    }
}
