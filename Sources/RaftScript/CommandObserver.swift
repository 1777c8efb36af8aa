import RaftCluster

/// What one command of a run did, handed to a `CommandObserver` (the charts'
/// recorder) by the script runner.
public struct CommandRecord: Sendable {
    /// The line as written (for a replayed shell session, as saved).
    public var line: String
    public var location: SourceLocation?
    public var command: Command
    /// What happened in the cluster, in order; empty when the command failed.
    public var events: [TraceEvent]
    /// What the command printed (narration aside).
    public var output: [String]
    /// A failed `expect`'s message.
    public var failure: String?
    /// Why the command could not be carried out (a script stops here).
    public var error: String?
    /// The cluster after the command: a value, so keeping it costs a few retains.
    public var cluster: Cluster

    public init(
        line: String, location: SourceLocation?, command: Command, events: [TraceEvent], output: [String],
        failure: String?, error: String?, cluster: Cluster
    ) {
        self.line = line
        self.location = location
        self.command = command
        self.events = events
        self.output = output
        self.failure = failure
        self.error = error
        self.cluster = cluster
    }
}

/// Sees every command a `ScriptRunner` carries out. With no observer the
/// interpreter keeps no events it does not narrate, so runs cost what they did.
public protocol CommandObserver: AnyObject {
    func observe(_ record: CommandRecord)
}
