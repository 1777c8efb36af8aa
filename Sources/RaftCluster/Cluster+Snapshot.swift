import RaftCore

/// A cluster's state as a few dozen bytes, for an exhaustive search that keeps
/// millions of states waiting to be expanded.
///
/// Stored: every server's Raft state and whether it is up, the messages in
/// flight in send order, and the safety history. Not stored, because a search
/// never changes them: names, configuration, time, timers, partitions and
/// statistics; `restore` keeps this cluster's. Messages come back due at the
/// current tick. A state with a violation is never stored (the search stops there).
extension Cluster {
    public func write(to writer: inout StateWriter, values: inout ValueTable) {
        for server in servers {
            writer.write(isUp[server.id.index])
            writer.write(server.currentTerm)
            writer.write(server.votedFor.map { $0.index + 1 } ?? 0)
            writer.write(server.commitIndex)
            write(server.log.entries, to: &writer, values: &values)
            switch server.role {
            case .follower:
                writer.write(0)
            case .candidate(let votes):
                writer.write(1)
                write(votes, to: &writer)
            case .leader(let leadership):
                writer.write(2)
                write(leadership.votes, to: &writer)
                for index in 0..<size {
                    writer.write(leadership.progress[index].nextIndex)
                    writer.write(leadership.progress[index].matchIndex)
                }
            }
        }
        writer.write(network.count)
        network.forEachInFlight { message in
            writer.write(message.from.index)
            writer.write(message.to.index)
            write(message.message, to: &writer, values: &values)
        }
        writer.write(safety.leaders.count)
        for (term, leader) in safety.leaders {
            writer.write(term)
            writer.write(leader.index)
        }
        writer.write(safety.committed.count)
        for committed in safety.committed {
            writer.write(committed.entry.term)
            writer.write(values.code(committed.entry.value))
            writer.write(committed.committedInTerm)
            writer.write(committed.committedBy.index)
        }
    }

    /// Replaces the stored part of this cluster's state by the one `reader` is at.
    public mutating func restore(from reader: inout StateReader, values: ValueTable) {
        for index in 0..<size {
            isUp[index] = reader.readBool()
            let term = reader.readInt()
            let votedFor = reader.readInt()
            let commitIndex = reader.readInt()
            let log = readLog(&reader, values: values)
            let role: Role
            switch reader.readInt() {
            case 0:
                role = .follower
            case 1:
                role = .candidate(votes: readServerSet(&reader))
            default:
                let votes = readServerSet(&reader)
                let progress = (0..<size).map { _ in
                    Leadership.Progress(nextIndex: reader.readInt(), matchIndex: reader.readInt())
                }
                role = .leader(Leadership(progress: progress, votes: votes))
            }
            servers[index] = Server(
                id: ServerID(index), clusterSize: size, configuration: configuration,
                currentTerm: term, votedFor: votedFor == 0 ? nil : ServerID(votedFor - 1), log: log,
                role: role, commitIndex: commitIndex
            )
        }
        upCount = isUp.count { $0 }
        liveLeaderCount = servers.indices.count { isLiveLeader(ServerID($0)) }
        network.removeAll()
        for _ in 0..<reader.readInt() {
            let from = ServerID(reader.readInt())
            let to = ServerID(reader.readInt())
            network.send(Envelope(from: from, to: to, message: readMessage(&reader, values: values)), deliverAt: now)
        }
        var history = SafetyChecker()
        for _ in 0..<reader.readInt() {
            let term = reader.readInt()
            history.leaders[term] = ServerID(reader.readInt())
        }
        let committedCount = reader.readInt()
        history.committed.reserveCapacity(committedCount)
        for _ in 0..<committedCount {
            let entry = LogEntry(term: reader.readInt(), value: values.value(reader.readInt()))
            let term = reader.readInt()
            history.committed.append(.init(entry: entry, committedInTerm: term, committedBy: ServerID(reader.readInt())))
        }
        safety = history
    }

    private func write(_ entries: LogEntries, to writer: inout StateWriter, values: inout ValueTable) {
        writer.write(entries.count)
        for entry in entries {
            writer.write(entry.term)
            writer.write(values.code(entry.value))
        }
    }

    /// Entries as written by `write(_:to:values:)`, as a log: a message's are its `entries`.
    private func readLog(_ reader: inout StateReader, values: ValueTable) -> Log {
        var log = Log()
        let count = reader.readInt()
        log.reserveCapacity(count)
        for _ in 0..<count {
            log.append(LogEntry(term: reader.readInt(), value: values.value(reader.readInt())))
        }
        return log
    }

    private func write(_ set: ServerSet, to writer: inout StateWriter) {
        writer.write(set.count)
        for index in 0..<size where set.contains(ServerID(index)) { writer.write(index) }
    }

    private func readServerSet(_ reader: inout StateReader) -> ServerSet {
        var set = ServerSet()
        for _ in 0..<reader.readInt() { set.insert(ServerID(reader.readInt())) }
        return set
    }

    private func write(_ message: Message, to writer: inout StateWriter, values: inout ValueTable) {
        switch message {
        case .requestVote(let m):
            writer.write(0)
            writer.write(m.term)
            writer.write(m.candidate.index)
            writer.write(m.lastLogIndex)
            writer.write(m.lastLogTerm)
        case .requestVoteResponse(let m):
            writer.write(1)
            writer.write(m.term)
            writer.write(m.granted)
        case .appendEntries(let m):
            writer.write(2)
            writer.write(m.term)
            writer.write(m.leader.index)
            writer.write(m.prevLogIndex)
            writer.write(m.prevLogTerm)
            write(m.entries, to: &writer, values: &values)
            writer.write(m.leaderCommit)
        case .appendEntriesResponse(let m):
            writer.write(3)
            writer.write(m.term)
            writer.write(m.success)
            writer.write(m.matchIndex)
        }
    }

    /// Fields are read in the order they were written: Swift evaluates arguments left to right.
    private func readMessage(_ reader: inout StateReader, values: ValueTable) -> Message {
        switch reader.readInt() {
        case 0:
            return .requestVote(RequestVote(
                term: reader.readInt(), candidate: ServerID(reader.readInt()),
                lastLogIndex: reader.readInt(), lastLogTerm: reader.readInt()
            ))
        case 1:
            return .requestVoteResponse(RequestVoteResponse(term: reader.readInt(), granted: reader.readBool()))
        case 2:
            return .appendEntries(AppendEntries(
                term: reader.readInt(), leader: ServerID(reader.readInt()), prevLogIndex: reader.readInt(),
                prevLogTerm: reader.readInt(), entries: readLog(&reader, values: values).entries, leaderCommit: reader.readInt()
            ))
        default:
            return .appendEntriesResponse(AppendEntriesResponse(
                term: reader.readInt(), success: reader.readBool(), matchIndex: reader.readInt()
            ))
        }
    }
}
