/// Everything that can happen to a server: the inputs of Figure 2's rules.
public enum Event: Hashable, Sendable {
    /// The election timer fired (section 5.2).
    case electionTimeout
    /// A leader's heartbeat timer fired.
    case heartbeatTimeout
    /// A client asks the server to replicate a command.
    case clientRequest(String)
    /// The operator asks a leader to hand leadership to a peer (thesis 3.10).
    case transferLeadership(to: ServerID)
    /// A message arrived from another server.
    case receive(Envelope)
}
