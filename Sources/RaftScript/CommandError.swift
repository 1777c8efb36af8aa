import RaftCluster

/// A command that parsed but cannot be carried out now.
public struct CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    /// Whether a user's server program failed (node protocol, section 7), not the
    /// command: `expect error` does not count it as the command's error.
    public let isProgramFailure: Bool

    public init(_ message: String) {
        self.message = message
        isProgramFailure = false
    }

    init(_ error: ClusterError) {
        message = error.description
        if case .program = error { isProgramFailure = true } else { isProgramFailure = false }
    }

    public var description: String { message }
}

/// What one command printed, and the failed expectation if it was an `expect`.
public struct Reply: Hashable, Sendable {
    public var lines: [String] = []
    /// "s1 commit is 3, expected 0": what was found and what was expected.
    public var failure: String?
    /// What happened in the cluster, when the interpreter `keepsEvents`.
    public var events: [TraceEvent] = []

    public init(lines: [String] = [], failure: String? = nil) {
        self.lines = lines
        self.failure = failure
    }
}
