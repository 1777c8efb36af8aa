import RaftCluster
import RaftCore

/// Writes the node protocol's requests (sections 2, 3, 5 and 6 of
/// node-protocol.md): the whole state of the one server a step concerns, the
/// event, and the cluster around it.
struct NodeRequest {
    let context: ProgramContext

    static func hello(into writer: inout JSONWriter) {
        writer.raw(#"{"type":"hello","protocol":1}"#)
    }

    /// The request for `step`; the names and the server's log are written
    /// from `kept`, which keeps their text for the next request.
    func step(_ step: ProgramStep, of server: ProgramServer, kept: inout KeptText, into writer: inout JSONWriter) {
        kept.use(context.names)
        writer.raw(#"{"type":"step","server":"#)
        kept.name(server.server.id, into: &writer)
        writer.raw(#","servers":"#)
        kept.names(into: &writer)
        writer.raw(#","options":{"noop":"#)
        writer.bool(context.configuration.noop)
        writer.raw(#","prevote":"#)
        writer.bool(context.configuration.prevote)
        writer.raw(#","checkquorum":"#)
        writer.bool(context.configuration.checkQuorum)
        writer.raw(#"},"state":"#)
        state(server, kept: &kept, into: &writer)
        writer.raw(#","event":"#)
        event(step, kept: kept, into: &writer)
        writer.raw("}")
    }

    private func name(_ id: ServerID) -> String {
        context.names[id.index]
    }

    /// STATE (section 4): the fields raftsh reads and writes, the optional ones
    /// the program reports, then the program's own, verbatim.
    func state(_ programServer: ProgramServer, kept: inout KeptText, into writer: inout JSONWriter) {
        let server = programServer.server, state = programServer.state
        writer.raw(#"{"role":"#)
        writer.string(Self.roleName(server.role.kind))
        writer.raw(#","term":"#)
        writer.int(server.currentTerm)
        writer.raw(#","votedFor":"#)
        if let vote = server.votedFor { kept.name(vote, into: &writer) } else { writer.raw("null") }
        writer.raw(#","log":"#)
        kept.write(server.log, of: server.id, into: &writer)
        writer.raw(#","commitIndex":"#)
        writer.int(server.commitIndex)
        if state.reportsVotes, let votes = server.role.votes {
            writer.raw(#","votes":["#)
            // By index rather than through `members`, which makes an array.
            var first = true
            for index in 0..<server.clusterSize where votes.contains(ServerID(index)) {
                if !first { writer.raw(",") }
                first = false
                kept.name(ServerID(index), into: &writer)
            }
            writer.raw("]")
        }
        if state.reportsProgress, case .leader(let leadership) = server.role {
            let progress = leadership.progress
            func perPeer(_ key: StaticString, matched: Bool) {
                writer.raw(",")
                writer.key(key)
                writer.raw("{")
                var first = true
                for index in progress.indices where index != server.id.index {
                    if !first { writer.raw(",") }
                    first = false
                    kept.name(ServerID(index), into: &writer)
                    writer.raw(":")
                    writer.int(matched ? progress[index].matchIndex : progress[index].nextIndex)
                }
                writer.raw("}")
            }
            perPeer("nextIndex", matched: false)
            perPeer("matchIndex", matched: true)
        }
        if state.reportsTransfer {
            writer.raw(#","transferTo":"#)
            if let target = state.transferTo { kept.name(target, into: &writer) } else { writer.raw("null") }
        }
        own(state.own, into: &writer)
        writer.raw("}")
    }

    private func own(_ fields: OwnFields, into writer: inout JSONWriter) {
        for field in fields.fields {
            writer.raw(",")
            writer.string(field.name)
            writer.raw(":")
            writer.raw(json: field.json)
        }
    }

    private func entries(_ entries: LogEntries, into writer: inout JSONWriter) {
        writer.raw("[")
        for (index, entry) in entries.enumerated() {
            if index > 0 { writer.raw(",") }
            Self.entry(entry, into: &writer)
        }
        writer.raw("]")
    }

    static func entry(_ entry: LogEntry, into writer: inout JSONWriter) {
        writer.raw(#"{"term":"#)
        writer.int(entry.term)
        writer.raw(#","value":"#)
        // An entry with no value (a new leader's no-op) is written `null`.
        if entry.value.isEmpty { writer.raw("null") } else { writer.string(entry.value) }
        writer.raw("}")
    }

    private func event(_ step: ProgramStep, kept: KeptText, into writer: inout JSONWriter) {
        switch step {
        case .initialize: writer.raw(#"{"type":"init"}"#)
        case .restart: writer.raw(#"{"type":"restart"}"#)
        case .event(.electionTimeout): writer.raw(#"{"type":"timeout"}"#)
        case .event(.heartbeatTimeout): writer.raw(#"{"type":"heartbeat"}"#)
        case .event(.clientRequest(let value)):
            writer.raw(#"{"type":"submit","value":"#)
            writer.string(value)
            writer.raw("}")
        case .event(.transferLeadership(let target)):
            writer.raw(#"{"type":"transfer","to":"#)
            kept.name(target, into: &writer)
            writer.raw("}")
        case .event(.receive(let envelope)):
            writer.raw(#"{"type":"receive","from":"#)
            kept.name(envelope.from, into: &writer)
            writer.raw(#","message":"#)
            message(envelope, kept: kept, into: &writer)
            writer.raw("}")
        }
    }

    /// MESSAGE (section 6), with the program's own fields; no `to` (the receiver is the server stepped).
    func message(_ envelope: Envelope, kept: KeptText, into writer: inout JSONWriter) {
        writer.raw(#"{"type":"#)
        writer.string(envelope.message.kindName)
        switch envelope.message {
        case .requestVote(let m):
            voteRequest(term: m.term, candidate: m.candidate, lastLogIndex: m.lastLogIndex, lastLogTerm: m.lastLogTerm, kept: kept, into: &writer)
            writer.raw(#","transfer":"#); writer.bool(m.transfer)
        case .requestVoteResponse(let m):
            voteResponse(term: m.term, granted: m.granted, into: &writer)
        case .appendEntries(let m):
            writer.raw(#","term":"#); writer.int(m.term)
            writer.raw(#","leader":"#); kept.name(m.leader, into: &writer)
            writer.raw(#","prevLogIndex":"#); writer.int(m.prevLogIndex)
            writer.raw(#","prevLogTerm":"#); writer.int(m.prevLogTerm)
            writer.raw(#","entries":"#); entries(m.entries, into: &writer)
            writer.raw(#","leaderCommit":"#); writer.int(m.leaderCommit)
        case .appendEntriesResponse(let m):
            writer.raw(#","term":"#); writer.int(m.term)
            writer.raw(#","success":"#); writer.bool(m.success)
            writer.raw(#","matchIndex":"#); writer.int(m.matchIndex)
        case .preVote(let m):
            voteRequest(term: m.term, candidate: m.candidate, lastLogIndex: m.lastLogIndex, lastLogTerm: m.lastLogTerm, kept: kept, into: &writer)
        case .preVoteResponse(let m):
            voteResponse(term: m.term, granted: m.granted, into: &writer)
        case .timeoutNow(let m):
            writer.raw(#","term":"#); writer.int(m.term)
        }
        if let fields = context.ownFields[envelope.ownFields] { own(fields, into: &writer) }
        writer.raw("}")
    }

    /// The fields a RequestVote and a PreVote share.
    private func voteRequest(term: Int, candidate: ServerID, lastLogIndex: Int, lastLogTerm: Int, kept: KeptText, into writer: inout JSONWriter) {
        writer.raw(#","term":"#); writer.int(term)
        writer.raw(#","candidate":"#); kept.name(candidate, into: &writer)
        writer.raw(#","lastLogIndex":"#); writer.int(lastLogIndex)
        writer.raw(#","lastLogTerm":"#); writer.int(lastLogTerm)
    }

    /// The fields a RequestVoteResponse and a PreVoteResponse share.
    private func voteResponse(term: Int, granted: Bool, into writer: inout JSONWriter) {
        writer.raw(#","term":"#); writer.int(term)
        writer.raw(#","granted":"#); writer.bool(granted)
    }

    static func roleName(_ role: RoleKind) -> String {
        switch role {
        case .follower: "follower"
        case .precandidate: "precandidate"
        case .candidate: "candidate"
        case .leader: "leader"
        }
    }

    /// A one-word name of the step, for error messages.
    func describe(_ step: ProgramStep) -> String {
        switch step {
        case .initialize: "init"
        case .restart: "restart"
        case .event(.electionTimeout): "timeout"
        case .event(.heartbeatTimeout): "heartbeat"
        case .event(.clientRequest(let value)): "submit \(value)"
        case .event(.transferLeadership(let target)): "transfer \(name(target))"
        case .event(.receive(let envelope)): "receive \(envelope.message.kindName) from \(name(envelope.from))"
        }
    }
}
