import RaftCluster
import RaftCore

/// A cluster's state as a few dozen bytes, for an exhaustive search that keeps
/// millions of states waiting to be expanded: what `Cluster.visitStoredState`
/// visits, written in its order. Messages come back due at the current tick. A
/// state with a violation is never stored (the search stops there).
extension Cluster {
    public func write(to writer: inout StateWriter, values: inout ValueTable) {
        write(to: &writer, coding: &values)
    }

    /// The same, with values coded by `coding` (a parallel search shares one table).
    func write<Values: ValueCoding>(to writer: inout StateWriter, coding values: inout Values) {
        var encoder = StateEncoder(writer: writer, values: values, clusterSize: size)
        writer = StateWriter()  // the encoder holds the buffer alone while it writes
        visitStoredState(&encoder)
        writer = encoder.writer
        values = encoder.values
    }

    /// Replaces the stored part of this cluster's state by the one `reader` is
    /// at: `write` read back, field for field (a test round-trips states in
    /// which every field is set).
    public mutating func restore(from reader: inout StateReader, values: ValueTable) {
        var restored = RestoredServers()
        restore(from: &reader, values: values, keeping: &restored)
    }

    /// The same, keeping each server whose stored bytes are those it was
    /// restored from last time (`restored`, which this cluster alone is
    /// restored with): rebuilding a server allocates its log and its leader's
    /// progress, and the states a search expands one after the other were
    /// mostly reached from one state, so they share all but a server or two.
    mutating func restore(from reader: inout StateReader, values: ValueTable, keeping restored: inout RestoredServers) {
        let size = self.size, configuration = self.configuration, runsProgram = implementation.program != nil
        var history = SafetyChecker()
        if restored.bytes.count != size { restored.bytes = Array(repeating: [], count: size) }
        restored.rebuilt = ServerSet()
        restoreStoredState(
            server: { id in
                let start = reader.position
                let kept = restored.bytes[id.index]
                // An encoding is never empty, and none is the beginning of another.
                if !kept.isEmpty, reader.continues(with: kept) {
                    reader.skip(kept.count)
                    return nil
                }
                defer { restored.bytes[id.index] = Array(reader.bytes(from: start)) }
                restored.rebuilt.insert(id)
                let isUp = reader.readBool()
                let term = reader.readInt()
                let votedFor = reader.readServer()
                let log = reader.readLog(values: values)
                let commitIndex = reader.readInt()
                let heardFromLeader = reader.readBool()
                let role: Role
                switch reader.readInt() {
                case 0:
                    role = .follower
                case 1:
                    role = .candidate(votes: reader.readServerSet())
                case 2:
                    let votes = reader.readServerSet()
                    let progress = (0..<size).map { _ in
                        Leadership.Progress(nextIndex: reader.readInt(), matchIndex: reader.readInt())
                    }
                    let heardFrom = reader.readServerSet()
                    let target = reader.readServer()
                    let sentTimeoutNow = reader.readBool()
                    let transfer = target.map { Leadership.Transfer(target: $0, sentTimeoutNow: sentTimeoutNow) }
                    role = .leader(Leadership(progress: progress, votes: votes, heardFrom: heardFrom, transfer: transfer))
                case 3:
                    role = .precandidate(votes: reader.readServerSet())
                case let tag:
                    preconditionFailure("stored role \(tag): Server.visitStoredState and restore disagree")
                }
                let server = Server(
                    id: id, clusterSize: size, configuration: configuration,
                    currentTerm: term, votedFor: votedFor, log: log, role: role, commitIndex: commitIndex,
                    heardFromLeader: heardFromLeader
                )
                return (server, isUp)
            },
            program: { _ in
                var state = ProgramState()
                state.own = reader.readOwnFields(values: values)
                state.reportsVotes = reader.readBool()
                state.reportsProgress = reader.readBool()
                state.reportsTransfer = reader.readBool()
                state.transferTo = reader.readServer()
                return state
            },
            inFlight: { send in
                for _ in 0..<reader.readInt() {
                    let from = ServerID(reader.readInt())
                    let to = ServerID(reader.readInt())
                    let message = reader.readMessage(values: values)
                    send(Envelope(from: from, to: to, message: message), runsProgram ? reader.readOwnFields(values: values) : nil)
                }
            },
            safety: {
                let leaders = reader.readInt()
                history.reserveLeaders(leaders)
                for _ in 0..<leaders {
                    let leader = ServerID(reader.readInt())
                    history.restoreLeader(leader, ofTerm: reader.readInt())
                }
                let committed = reader.readInt()
                history.reserveCommitted(committed)
                for _ in 0..<committed {
                    let entry = LogEntry(term: reader.readInt(), value: values.value(reader.readInt()))
                    let term = reader.readInt()
                    history.restoreCommitted(entry, inTerm: term, by: ServerID(reader.readInt()))
                }
                return history
            },
            cutLinks: {
                (0..<reader.readInt()).map { _ in (ServerID(reader.readInt()), ServerID(reader.readInt())) }
            }
        )
    }
}

/// Writes what `Cluster.visitStoredState` visits: numbers as they are, a
/// server as its index + 1 (0 for none), a set as its count and members, entries
/// as their count and (term, value code) pairs.
struct StateEncoder<Values: ValueCoding>: ClusterStateVisitor {
    var writer: StateWriter
    var values: Values
    let clusterSize: Int

    @inline(__always) mutating func visit(number: Int) { writer.write(number) }
    @inline(__always) mutating func visit(flag: Bool) { writer.write(flag) }
    @inline(__always) mutating func visit(server: ServerID?) { writer.write(server.map { $0.index + 1 } ?? 0) }

    @inline(__always) mutating func visit(servers: ServerSet) {
        writer.write(servers.count)
        for index in 0..<clusterSize where servers.contains(ServerID(index)) { writer.write(index) }
    }

    @inline(__always) mutating func visit(entries: LogEntries) {
        writer.write(entries.count)
        for entry in entries {
            writer.write(entry.term)
            writer.write(values.code(entry.value))
        }
    }

    @inline(__always) mutating func visit(progress: [Leadership.Progress], of leader: ServerID) {
        for slot in progress {
            writer.write(slot.nextIndex)
            writer.write(slot.matchIndex)
        }
    }

    mutating func visit(ownFields: OwnFields) {
        writer.write(ownFields.fields.count)
        for field in ownFields.fields {
            writer.write(values.code(field.name))
            writer.write(values.code(field.json))
        }
    }

    @inline(__always) mutating func beginServer(_ id: ServerID, isUp: Bool) { writer.write(isUp) }
    @inline(__always) mutating func beginMessages(count: Int) { writer.write(count) }

    @inline(__always) mutating func beginMessage(from: ServerID, to: ServerID) {
        writer.write(from.index)
        writer.write(to.index)
    }

    @inline(__always) mutating func beginLeaders(count: Int) { writer.write(count) }

    @inline(__always) mutating func visit(leader: ServerID, ofTerm term: Int) {
        writer.write(leader.index)
        writer.write(term)
    }

    @inline(__always) mutating func beginCommitted(count: Int) { writer.write(count) }

    @inline(__always) mutating func visit(committed entry: LogEntry, inTerm term: Int, by server: ServerID) {
        writer.write(entry.term)
        writer.write(values.code(entry.value))
        writer.write(term)
        writer.write(server.index)
    }

    @inline(__always) mutating func beginCuts(count: Int) { writer.write(count) }

    mutating func visit(cutFrom from: ServerID, to: ServerID) {
        writer.write(from.index)
        writer.write(to.index)
    }
}

extension StateReader {
    mutating func readServer() -> ServerID? {
        let code = readInt()
        return code == 0 ? nil : ServerID(code - 1)
    }

    mutating func readServerSet() -> ServerSet {
        var set = ServerSet()
        for _ in 0..<readInt() { set.insert(ServerID(readInt())) }
        return set
    }

    mutating func readOwnFields(values: ValueTable) -> OwnFields {
        OwnFields((0..<readInt()).map { _ in OwnFields.Field(name: values.value(readInt()), json: values.value(readInt())) })
    }

    /// Entries as `StateEncoder` writes them, as a log: a message's are its `entries`.
    mutating func readLog(values: ValueTable) -> Log {
        let count = readInt()
        var log = Log()
        log.reserveCapacity(count)
        for _ in 0..<count {
            log.append(LogEntry(term: readInt(), value: values.value(readInt())))
        }
        return log
    }

    /// Fields are read in the order `Message.visitFields` visits them: Swift
    /// evaluates arguments left to right.
    mutating func readMessage(values: ValueTable) -> Message {
        switch readInt() {
        case 0:
            return .requestVote(RequestVote(
                term: readInt(), candidate: readServer()!, lastLogIndex: readInt(), lastLogTerm: readInt(), transfer: readBool()
            ))
        case 1:
            return .requestVoteResponse(RequestVoteResponse(term: readInt(), granted: readBool()))
        case 2:
            return .appendEntries(AppendEntries(
                term: readInt(), leader: readServer()!, prevLogIndex: readInt(),
                prevLogTerm: readInt(), entries: readLog(values: values).entries, leaderCommit: readInt()
            ))
        case 3:
            return .appendEntriesResponse(AppendEntriesResponse(term: readInt(), success: readBool(), matchIndex: readInt()))
        case 4:
            return .preVote(PreVote(term: readInt(), candidate: readServer()!, lastLogIndex: readInt(), lastLogTerm: readInt()))
        case 5:
            return .preVoteResponse(PreVoteResponse(term: readInt(), granted: readBool()))
        case 6:
            return .timeoutNow(TimeoutNow(term: readInt()))
        case let tag:
            preconditionFailure("stored message kind \(tag): Message.visitFields and readMessage disagree")
        }
    }
}

/// The stored bytes of each server a cluster was last restored from
/// (`Cluster.restore(from:values:keeping:)`).
struct RestoredServers {
    fileprivate var bytes: [[UInt8]] = []
    /// The servers the last restore rebuilt; it kept the others as they were.
    fileprivate(set) var rebuilt = ServerSet()
}
