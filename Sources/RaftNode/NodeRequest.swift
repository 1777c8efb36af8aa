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

    func step(_ step: ProgramStep, of server: ProgramServer, into writer: inout JSONWriter) {
        writer.raw(#"{"type":"step","server":"#)
        writer.string(name(server.server.id))
        writer.raw(#","servers":["#)
        for (index, name) in context.names.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(name)
        }
        writer.raw(#"],"options":{"noop":"#)
        writer.bool(context.configuration.noop)
        writer.raw(#","prevote":"#)
        writer.bool(context.configuration.prevote)
        writer.raw(#","checkquorum":"#)
        writer.bool(context.configuration.checkQuorum)
        writer.raw(#"},"state":"#)
        state(server, into: &writer)
        writer.raw(#","event":"#)
        event(step, into: &writer)
        writer.raw("}")
    }

    private func name(_ id: ServerID) -> String {
        context.names[id.index]
    }

    /// STATE (section 4): the fields raftsh reads and writes, the optional ones
    /// the program reports, then the program's own, verbatim.
    func state(_ programServer: ProgramServer, into writer: inout JSONWriter) {
        let server = programServer.server, state = programServer.state
        writer.raw(#"{"role":"#)
        writer.string(Self.roleName(server.role.kind))
        writer.raw(#","term":"#)
        writer.int(server.currentTerm)
        writer.raw(#","votedFor":"#)
        if let vote = server.votedFor { writer.string(name(vote)) } else { writer.raw("null") }
        writer.raw(#","log":"#)
        entries(server.log.entries, into: &writer)
        writer.raw(#","commitIndex":"#)
        writer.int(server.commitIndex)
        if state.reportsVotes, let votes = server.role.votes {
            writer.raw(#","votes":["#)
            for (index, voter) in votes.members.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(name(voter))
            }
            writer.raw("]")
        }
        if state.reportsProgress, case .leader(let leadership) = server.role {
            func perPeer(_ key: StaticString, _ read: (Leadership.Progress) -> Int) {
                writer.raw(",")
                writer.key(key)
                writer.raw("{")
                for (position, peer) in server.peers.enumerated() {
                    if position > 0 { writer.raw(",") }
                    writer.string(name(peer))
                    writer.raw(":")
                    writer.int(read(leadership.progress[peer.index]))
                }
                writer.raw("}")
            }
            perPeer("nextIndex") { $0.nextIndex }
            perPeer("matchIndex") { $0.matchIndex }
        }
        if state.reportsTransfer {
            writer.raw(#","transferTo":"#)
            if let target = state.transferTo { writer.string(name(target)) } else { writer.raw("null") }
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
            writer.raw(#"{"term":"#)
            writer.int(entry.term)
            writer.raw(#","value":"#)
            // An entry with no value (a new leader's no-op) is written `null`.
            if entry.value.isEmpty { writer.raw("null") } else { writer.string(entry.value) }
            writer.raw("}")
        }
        writer.raw("]")
    }

    private func event(_ step: ProgramStep, into writer: inout JSONWriter) {
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
            writer.string(name(target))
            writer.raw("}")
        case .event(.receive(let envelope)):
            writer.raw(#"{"type":"receive","from":"#)
            writer.string(name(envelope.from))
            writer.raw(#","message":"#)
            message(envelope, into: &writer)
            writer.raw("}")
        }
    }

    /// MESSAGE (section 6), with the program's own fields; no `to` (the receiver is the server stepped).
    func message(_ envelope: Envelope, into writer: inout JSONWriter) {
        writer.raw(#"{"type":"#)
        writer.string(envelope.message.kindName)
        switch envelope.message {
        case .requestVote(let m):
            voteRequest(term: m.term, candidate: m.candidate, lastLogIndex: m.lastLogIndex, lastLogTerm: m.lastLogTerm, into: &writer)
            writer.raw(#","transfer":"#); writer.bool(m.transfer)
        case .requestVoteResponse(let m):
            voteResponse(term: m.term, granted: m.granted, into: &writer)
        case .appendEntries(let m):
            writer.raw(#","term":"#); writer.int(m.term)
            writer.raw(#","leader":"#); writer.string(name(m.leader))
            writer.raw(#","prevLogIndex":"#); writer.int(m.prevLogIndex)
            writer.raw(#","prevLogTerm":"#); writer.int(m.prevLogTerm)
            writer.raw(#","entries":"#); entries(m.entries, into: &writer)
            writer.raw(#","leaderCommit":"#); writer.int(m.leaderCommit)
        case .appendEntriesResponse(let m):
            writer.raw(#","term":"#); writer.int(m.term)
            writer.raw(#","success":"#); writer.bool(m.success)
            writer.raw(#","matchIndex":"#); writer.int(m.matchIndex)
        case .preVote(let m):
            voteRequest(term: m.term, candidate: m.candidate, lastLogIndex: m.lastLogIndex, lastLogTerm: m.lastLogTerm, into: &writer)
        case .preVoteResponse(let m):
            voteResponse(term: m.term, granted: m.granted, into: &writer)
        case .timeoutNow(let m):
            writer.raw(#","term":"#); writer.int(m.term)
        }
        if let fields = context.ownFields[envelope.ownFields] { own(fields, into: &writer) }
        writer.raw("}")
    }

    /// The fields a RequestVote and a PreVote share.
    private func voteRequest(term: Int, candidate: ServerID, lastLogIndex: Int, lastLogTerm: Int, into writer: inout JSONWriter) {
        writer.raw(#","term":"#); writer.int(term)
        writer.raw(#","candidate":"#); writer.string(name(candidate))
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
