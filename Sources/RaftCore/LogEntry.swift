/// One entry of a Raft log: the term in which a leader created it and the client's command.
public struct LogEntry: Hashable, Sendable {
    public var term: Int
    /// The client's command; empty for a new leader's no-op entry.
    public var value: String

    public init(term: Int, value: String = "") {
        self.term = term
        self.value = value
    }
}
