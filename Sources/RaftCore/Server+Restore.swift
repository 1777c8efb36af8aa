/// Rebuilding a server from state stored elsewhere: an exhaustive search keeps
/// millions of states as compact bytes and turns one back into a server only
/// when it expands it. Unlike the `set` commands, nothing is checked or clamped:
/// the state comes from a server that had it.
extension Server {
    public init(
        id: ServerID, clusterSize: Int, configuration: Configuration,
        currentTerm: Int, votedFor: ServerID?, log: Log, role: Role, commitIndex: Int, heardFromLeader: Bool = false
    ) {
        self.init(id: id, clusterSize: clusterSize, configuration: configuration)
        self.currentTerm = currentTerm
        self.votedFor = votedFor
        self.log = log
        self.role = role
        self.commitIndex = commitIndex
        self.heardFromLeader = heardFromLeader
    }
}
