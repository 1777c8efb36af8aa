import RaftCluster
import RaftCore

/// Reads and checks an answer to a step (node-protocol.md sections 3, 4 and 6):
/// every field raftsh relies on is there with its type, names are servers of
/// the cluster, and a message goes to a peer. Whatever else the program wrote
/// is kept verbatim as its own fields. What is wrong is said in one phrase; the
/// caller adds the server, the event and the line.
struct NodeAnswer {
    struct Invalid: Error {
        var reason: String
        /// The part of the answer at fault, when it is one message: quoted instead of the whole line.
        var offending: JSON?
    }

    /// The cluster's server names, in cluster order.
    let names: [String]
    let server: ServerID

    /// The fields of STATE that raftsh reads and writes; every other one is the program's.
    static let stateFields: Set<String> = [
        "role", "term", "votedFor", "log", "commitIndex", "votes", "nextIndex", "matchIndex", "transferTo",
    ]
    static let messageFields: [String: Set<String>] = [
        "RequestVote": ["type", "to", "term", "candidate", "lastLogIndex", "lastLogTerm", "transfer"],
        "RequestVoteResponse": ["type", "to", "term", "granted"],
        "AppendEntries": ["type", "to", "term", "leader", "prevLogIndex", "prevLogTerm", "entries", "leaderCommit"],
        "AppendEntriesResponse": ["type", "to", "term", "success", "matchIndex"],
        "PreVote": ["type", "to", "term", "candidate", "lastLogIndex", "lastLogTerm"],
        "PreVoteResponse": ["type", "to", "term", "granted"],
        "TimeoutNow": ["type", "to", "term"],
    ]

    /// A program's LEADER as raftsh keeps it: the nextIndex and matchIndex it
    /// reports per peer (both, or neither), and for a peer it leaves out, or when
    /// it reports none, what a new leader starts with (section 3a).
    static func leadership(
        of server: ServerID, among count: Int, lastIndex: Int, nextIndex: [Int?]?, matchIndex: [Int?]?, votes: ServerSet
    ) -> Leadership {
        var progress = (0..<count).map { _ in Leadership.Progress(nextIndex: lastIndex + 1, matchIndex: 0) }
        if let nextIndex, let matchIndex {
            for index in progress.indices where index != server.index {
                progress[index] = Leadership.Progress(nextIndex: nextIndex[index] ?? lastIndex + 1, matchIndex: matchIndex[index] ?? 0)
            }
        }
        return Leadership(progress: progress, votes: votes)
    }

    /// Applies the answer: the new state into `programServer`, the rest into `output`.
    func apply(_ answer: JSON, to programServer: inout ProgramServer, in context: inout ProgramContext, into output: inout Output) throws(Invalid) {
        guard case .object = answer else { throw Invalid(reason: "the answer is \(answer.typeName), not an object") }
        if let why = answer["error"] {
            guard case .string(let text) = why else { throw Invalid(reason: "\"error\" is \(why.typeName), not a string") }
            throw Invalid(reason: "the node reports an error: \(text)")
        }
        guard let state = answer["state"] else { throw Invalid(reason: "the answer has no \"state\"") }
        programServer = try read(state, previous: programServer)
        if let send = answer["send"], send != .null {
            guard case .array(let messages) = send else { throw Invalid(reason: "\"send\" is \(send.typeName), not an array") }
            for (index, message) in messages.enumerated() {
                do {
                    output.messages.append(try read(message, at: "send[\(index)]", context: &context))
                } catch {
                    throw Invalid(reason: error.reason, offending: message)
                }
            }
        }
        if let reset = answer["resetTimer"], reset != .null {
            guard case .bool(let on) = reset else { throw Invalid(reason: "\"resetTimer\" is \(reset.typeName), not a boolean") }
            if on { output.resetsElectionTimer = true }
        }
        if let refused = answer["refused"], refused != .null {
            guard case .string(let text) = refused else { throw Invalid(reason: "\"refused\" is \(refused.typeName), not a string") }
            context.refusal = text
        }
        if let notes = answer["notes"], notes != .null {
            guard case .array(let items) = notes else { throw Invalid(reason: "\"notes\" is \(notes.typeName), not an array") }
            for item in items {
                guard case .string(let text) = item else { throw Invalid(reason: "a note is \(item.typeName), not a string") }
                output.note(.remark(text))
            }
        }
    }

    // MARK: - STATE

    private func read(_ state: JSON, previous: ProgramServer) throws(Invalid) -> ProgramServer {
        guard case .object(let members) = state else { throw Invalid(reason: "\"state\" is \(state.typeName), not an object") }
        let term = try natural(state, "term", in: "state")
        let votedFor = try optionalServer(state, "votedFor", in: "state")
        guard let logValue = state["log"] else { throw Invalid(reason: "\"state\" has no \"log\"") }
        let log = Log(try entries(logValue, at: "state.log"))
        let commitIndex = try natural(state, "commitIndex", in: "state")
        guard commitIndex <= log.lastIndex else {
            throw Invalid(reason: "commitIndex \(commitIndex) is beyond the log's \(log.lastIndex) entries")
        }
        var programState = ProgramState()
        var votes = ServerSet()
        if let value = state["votes"], value != .null {
            guard case .array(let names) = value else { throw Invalid(reason: "\"state.votes\" is \(value.typeName), not an array") }
            for name in names { votes.insert(try server(name, at: "state.votes")) }
            programState.reportsVotes = true
        }
        guard let roleValue = state["role"] else { throw Invalid(reason: "\"state\" has no \"role\"") }
        guard case .string(let roleName) = roleValue else { throw Invalid(reason: "\"state.role\" is \(roleValue.typeName), not a string") }
        let role: Role
        switch roleName {
        case "follower":
            role = .follower
        case "candidate":
            role = .candidate(votes: votes)
        case "leader":
            var nextIndex: [Int?]?, matchIndex: [Int?]?
            if let next = state["nextIndex"], next != .null, let match = state["matchIndex"], match != .null {
                let next = try perPeer(next, "nextIndex"), match = try perPeer(match, "matchIndex")
                nextIndex = names.indices.map { next[$0] }
                matchIndex = names.indices.map { match[$0] }
                programState.reportsProgress = true
            }
            role = .leader(Self.leadership(
                of: server, among: names.count, lastIndex: log.lastIndex, nextIndex: nextIndex, matchIndex: matchIndex, votes: votes
            ))
        case "precandidate":
            role = .precandidate(votes: votes)
        default:
            throw Invalid(reason: "unknown role \(JSONWriter.text(roleValue)) (follower, precandidate, candidate or leader)")
        }
        if let target = state["transferTo"] {
            programState.reportsTransfer = true
            programState.transferTo = target == .null ? nil : try server(target, at: "state.transferTo")
        }
        var own: [OwnFields.Field] = []
        for member in members where !Self.stateFields.contains(member.key) {
            own.append(OwnFields.Field(name: member.key, json: JSONWriter.text(member.value)))
        }
        programState.own = OwnFields(own)
        let old = previous.server
        return ProgramServer(
            server: Server(
                id: old.id, clusterSize: old.clusterSize, configuration: old.configuration, currentTerm: term,
                votedFor: votedFor, log: log, role: role, commitIndex: commitIndex
            ),
            state: programState
        )
    }

    private func perPeer(_ value: JSON, _ key: String) throws(Invalid) -> [Int: Int] {
        guard case .object(let members) = value else { throw Invalid(reason: "\"state.\(key)\" is \(value.typeName), not an object") }
        var result: [Int: Int] = [:]
        for member in members {
            guard let id = names.firstIndex(of: member.key) else {
                throw Invalid(reason: "\"state.\(key)\" names \(JSONWriter.text(.string(member.key))), which is not a server")
            }
            guard case .int(let index) = member.value, index >= 0 else {
                throw Invalid(reason: "\"state.\(key).\(member.key)\" is \(JSONWriter.text(member.value)), not an integer ≥ 0")
            }
            result[id] = index
        }
        return result
    }

    // MARK: - MESSAGE

    private func read(_ message: JSON, at path: String, context: inout ProgramContext) throws(Invalid) -> Envelope {
        guard case .object(let members) = message else { throw Invalid(reason: "\(path) is \(message.typeName), not an object") }
        guard let toValue = message["to"] else { throw Invalid(reason: "\(path) has no \"to\"") }
        let to = try self.server(toValue, at: "\(path).to")
        guard to != server else { throw Invalid(reason: "\(path) is addressed to the server itself") }
        guard let typeValue = message["type"] else { throw Invalid(reason: "\(path) has no \"type\"") }
        guard case .string(let type) = typeValue, let known = Self.messageFields[type] else {
            throw Invalid(reason: "\(path) has unknown type \(JSONWriter.text(typeValue)) (RequestVote, RequestVoteResponse, AppendEntries, AppendEntriesResponse, PreVote, PreVoteResponse or TimeoutNow)")
        }
        let where_ = "\(path) (\(type))"
        let body: Message
        switch type {
        case "RequestVote":
            body = .requestVote(RequestVote(
                term: try natural(message, "term", in: where_), candidate: try server(required(message, "candidate", where_), at: "\(where_).candidate"),
                lastLogIndex: try natural(message, "lastLogIndex", in: where_), lastLogTerm: try natural(message, "lastLogTerm", in: where_),
                transfer: message["transfer"] == nil ? false : try bool(message, "transfer", in: where_)
            ))
        case "PreVote":
            body = .preVote(PreVote(
                term: try natural(message, "term", in: where_), candidate: try server(required(message, "candidate", where_), at: "\(where_).candidate"),
                lastLogIndex: try natural(message, "lastLogIndex", in: where_), lastLogTerm: try natural(message, "lastLogTerm", in: where_)
            ))
        case "PreVoteResponse":
            body = .preVoteResponse(PreVoteResponse(term: try natural(message, "term", in: where_), granted: try bool(message, "granted", in: where_)))
        case "TimeoutNow":
            body = .timeoutNow(TimeoutNow(term: try natural(message, "term", in: where_)))
        case "RequestVoteResponse":
            body = .requestVoteResponse(RequestVoteResponse(term: try natural(message, "term", in: where_), granted: try bool(message, "granted", in: where_)))
        case "AppendEntries":
            body = .appendEntries(AppendEntries(
                term: try natural(message, "term", in: where_), leader: try server(required(message, "leader", where_), at: "\(where_).leader"),
                prevLogIndex: try natural(message, "prevLogIndex", in: where_), prevLogTerm: try natural(message, "prevLogTerm", in: where_),
                entries: LogEntries(try entries(required(message, "entries", where_), at: "\(where_).entries")),
                leaderCommit: try natural(message, "leaderCommit", in: where_)
            ))
        default:
            body = .appendEntriesResponse(AppendEntriesResponse(
                term: try natural(message, "term", in: where_), success: try bool(message, "success", in: where_),
                matchIndex: try natural(message, "matchIndex", in: where_)
            ))
        }
        var own: [OwnFields.Field] = []
        for member in members where !known.contains(member.key) {
            own.append(OwnFields.Field(name: member.key, json: JSONWriter.text(member.value)))
        }
        return Envelope(from: server, to: to, message: body, ownFields: context.ownFields.key(for: OwnFields(own)))
    }

    // MARK: - Fields

    private func required(_ object: JSON, _ key: String, _ path: String) throws(Invalid) -> JSON {
        guard let value = object[key] else { throw Invalid(reason: "\(path) has no \"\(key)\"") }
        return value
    }

    private func natural(_ object: JSON, _ key: String, in path: String) throws(Invalid) -> Int {
        let value = try required(object, key, path)
        guard case .int(let number) = value, number >= 0 else {
            throw Invalid(reason: "\(path).\(key) is \(JSONWriter.text(value)), not an integer ≥ 0")
        }
        return number
    }

    private func bool(_ object: JSON, _ key: String, in path: String) throws(Invalid) -> Bool {
        let value = try required(object, key, path)
        guard case .bool(let flag) = value else { throw Invalid(reason: "\(path).\(key) is \(JSONWriter.text(value)), not true or false") }
        return flag
    }

    private func server(_ value: JSON, at path: String) throws(Invalid) -> ServerID {
        guard case .string(let name) = value else { throw Invalid(reason: "\(path) is \(JSONWriter.text(value)), not a server name") }
        guard let index = names.firstIndex(of: name) else {
            throw Invalid(reason: "\(path) is \(JSONWriter.text(value)), which is not a server of the cluster")
        }
        return ServerID(index)
    }

    private func optionalServer(_ object: JSON, _ key: String, in path: String) throws(Invalid) -> ServerID? {
        let value = try required(object, key, path)
        return value == .null ? nil : try server(value, at: "\(path).\(key)")
    }

    private func entries(_ value: JSON, at path: String) throws(Invalid) -> [LogEntry] {
        guard case .array(let items) = value else { throw Invalid(reason: "\(path) is \(value.typeName), not an array") }
        var entries: [LogEntry] = []
        entries.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let here = "\(path)[\(index)]"
            guard case .object = item else { throw Invalid(reason: "\(here) is \(item.typeName), not an object") }
            let term = try natural(item, "term", in: here)
            let value = item["value"] ?? .null
            switch value {
            case .null: entries.append(LogEntry(term: term))
            case .string(let text): entries.append(LogEntry(term: term, value: text))
            default: throw Invalid(reason: "\(here).value is \(JSONWriter.text(value)), not a string or null")
            }
        }
        return entries
    }
}
