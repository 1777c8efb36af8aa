import RaftCore

/// Setting state directly, for scenarios that start mid-story. Nothing is sent
/// and no role changes; the safety checker still sees the new state.
extension Cluster {
    public mutating func setTerm(_ id: ServerID, to term: Int) throws(ClusterError) {
        try change(id) { server throws(StateError) in try server.setCurrentTerm(term) }
    }

    public mutating func setLog(_ id: ServerID, to log: Log) throws(ClusterError) {
        try change(id, logChangedFrom: 1) { server throws(StateError) in try server.setLog(log) }
    }

    public mutating func setVotedFor(_ id: ServerID, to candidate: ServerID?) throws(ClusterError) {
        try change(id) { server throws(StateError) in try server.setVotedFor(candidate) }
    }

    public mutating func setCommitIndex(_ id: ServerID, to index: Int) throws(ClusterError) {
        try change(id) { server throws(StateError) in try server.setCommitIndex(index) }
    }

    /// Changes the protocol options (the no-op entry, unsafe variants) of every server.
    public mutating func configure(_ change: (inout Configuration) -> Void) {
        change(&configuration)
        for index in servers.indices {
            servers[index].configuration = configuration
        }
    }

    private mutating func change(
        _ id: ServerID, logChangedFrom: Int? = nil, _ body: (inout Server) throws(StateError) -> Void
    ) throws(ClusterError) {
        let before = SafetyChecker.Before(servers[id.index])
        do {
            try body(&servers[id.index])
        } catch {
            throw .invalidState(server: name(id), error)
        }
        safety.observe(id, before: before, logChangedFrom: logChangedFrom, servers: servers, isUp: isUp)
    }
}
