import RaftCluster
import RaftCore
import RaftScript

/// A run laid out for drawing: rows running down the page, one lane per server,
/// and every message from the row it was sent at to the row it ended at.
///
/// Every renderer (SVG, page, terminal) draws this one layout, so they agree.
public struct Recording: Sendable {
    /// Every server name the run has had, in order of appearance: one lane each.
    public internal(set) var lanes: [String] = []
    public internal(set) var rows: [Row] = []
    public internal(set) var messages: [ChartMessage] = []
    /// Where a lane's role, term or liveness changes, in row order.
    public internal(set) var changes: [LaneChange] = []
    /// One per command, in order: the page steps through these.
    public internal(set) var steps: [Step] = []

    public init() {}

    /// How many trace events the run has in it: ticks, deliveries, drops, sends and notes.
    public internal(set) var eventCount = 0
}

/// One line of the chart: something that happened at one moment.
public struct Row: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A server handled a message (the arrow ends here).
        case delivery(message: Int)
        /// A server acted on its own: a timer, a client request.
        case local
        /// A command that changes no server through messages: crash, partition, set…
        case command
        /// An `echo` line, drawn across the chart.
        case caption(String)
        /// A failed `expect` or a command that could not be carried out.
        case failure(String)
    }

    public var kind: Kind
    /// The server the row is about, nil when it is about the whole cluster.
    public var lane: Int?
    /// The command this row belongs to.
    public var step: Int
    /// Logical time when the row happened.
    public var tick: Int
}

/// One message, from its send to its end.
public struct ChartMessage: Hashable, Sendable {
    public enum End: Hashable, Sendable {
        case delivered(row: Int)
        case dropped(row: Int, DropReason)
        /// Still in flight when the run ended: the arrow dangles.
        case inFlight
        /// Still in flight when `cluster` replaced the cluster: it dangles to that row.
        case abandoned(row: Int)
    }

    /// The lanes of its sender and receiver.
    public var from: Int
    public var to: Int
    public var envelope: Envelope
    public var sentRow: Int
    public var end: End
    /// A copy made by `duplicate`.
    public var isCopy = false

    public var message: Message { envelope.message }
}

/// A lane's state from a row on.
public struct LaneChange: Hashable, Sendable {
    public var row: Int
    public var lane: Int
    public var state: LaneState
}

/// What a lane shows: the server's role band and term, or that it is down or absent.
public struct LaneState: Hashable, Sendable {
    public enum Life: Hashable, Sendable {
        case up(RoleKind)
        case down
        /// Not a server of the cluster at this point (after `cluster N` made a smaller one).
        case absent
    }

    public var life: Life
    public var term: Int
}

/// One command of the run, with the cluster it left behind.
public struct Step: Sendable {
    public var line: String
    public var location: SourceLocation?
    /// The rows this command drew (empty for `show`, a passing `expect`…).
    public var rows: Range<Int>
    public var cluster: Cluster
    public var failure: String?
    public var error: String?
    /// What the command printed (narration aside).
    public var output: [String]
}
