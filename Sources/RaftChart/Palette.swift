import RaftCluster
import RaftCore
import RaftScript

/// Every label and colour of the charts, in one place: a new message kind or
/// role is a compile error here until it has its own.
///
/// Roles wear the shell's colours (`Highlighter.Style`): LEADER green,
/// CANDIDATE yellow, FOLLOWER cyan, down red.
enum Palette {
    /// A message as the paper's figures label it: `RV t2`, `AE t2 [3..4] c2` (the
    /// indexes of the entries it carries, none for a heartbeat),
    /// and a response's answer as ✓ or ✗.
    static func label(_ message: Message) -> String {
        switch message {
        case .requestVote(let m):
            m.transfer ? "RV t\(m.term) transfer" : "RV t\(m.term)"
        case .preVote(let m):
            "PV t\(m.term)"
        case .preVoteResponse(let m):
            "\(m.granted ? "✓" : "✗") pre t\(m.term)"
        case .timeoutNow(let m):
            "TimeoutNow t\(m.term)"
        case .requestVoteResponse(let m):
            "\(m.granted ? "✓" : "✗") t\(m.term)"
        case .appendEntries(let m):
            switch m.entries.count {
            case 0: "AE t\(m.term) c\(m.leaderCommit)"
            case 1: "AE t\(m.term) [\(m.prevLogIndex + 1)] c\(m.leaderCommit)"
            default: "AE t\(m.term) [\(m.prevLogIndex + 1)..\(m.prevLogIndex + m.entries.count)] c\(m.leaderCommit)"
            }
        case .appendEntriesResponse(let m):
            m.success ? "✓ t\(m.term) m\(m.matchIndex)" : "✗ t\(m.term)"
        }
    }

    /// The colour of a message's arrow: requests by kind, responses by answer.
    static func colour(_ message: Message) -> String {
        switch message {
        case .requestVote, .preVote: "#b07d00"
        case .preVoteResponse(let m): m.granted ? "#8a6d1f" : "#b03a2e"
        case .timeoutNow: "#6f42c1"
        case .requestVoteResponse(let m): m.granted ? "#8a6d1f" : "#b03a2e"
        case .appendEntries: "#1f6f3f"
        case .appendEntriesResponse(let m): m.success ? "#3d7a57" : "#b03a2e"
        }
    }

    /// The band colour of a lane.
    static func band(_ life: LaneState.Life) -> String? {
        switch life {
        case .up(let role): colour(role)
        case .down: "#d9534f"
        case .absent: nil
        }
    }

    static func colour(_ role: RoleKind) -> String {
        switch role {
        case .leader: "#2e9e44"
        case .candidate: "#e0a800"
        case .precandidate: "#c9a227"
        case .follower: "#17a2b8"
        }
    }

    /// The shell's terminal colours (its highlighter's) for the text chart.
    static func terminal(_ life: LaneState.Life) -> String? {
        switch life {
        case .up(let role): terminal(role).rawValue
        case .down: Highlighter.Style.down.rawValue
        case .absent: nil
        }
    }

    static func terminal(_ role: RoleKind) -> Highlighter.Style {
        switch role {
        case .leader: .leader
        case .candidate, .precandidate: .candidate
        case .follower: .follower
        }
    }

    /// The page's CSS for role names, in the bands' colours.
    static var roleStyles: String {
        RoleKind.allCases.map { ".\($0.rawValue){color:\(colour($0));font-weight:bold}" }.joined()
    }

    /// Why a message was lost, in a word, for the cross's tooltip.
    static func reason(_ reason: DropReason) -> String {
        switch reason {
        case .partition: "partition"
        case .cut: "link cut"
        case .receiverDown: "receiver down"
        case .dropped: "dropped"
        case .lost: "lost in transit"
        }
    }

    /// Tints for partition groups: servers in one group share a shade.
    static let groupTints = ["#eef2ff", "#fff3e0", "#e8f5e9", "#fce4ec", "#f3e5f5", "#e0f7fa"]

    static let term = "#8e24aa"
    static let failure = "#c62828"
    static let caption = "#37474f"

    /// A log as the paper's figures draw it: the entries' terms, and the commit index.
    static func log(_ server: Server) -> String {
        let entries = server.log.entries
        guard !entries.isEmpty else { return "empty c\(server.commitIndex)" }
        let terms = entries.suffix(5).map { "\($0.term)" }.joined(separator: " ")
        return (entries.count > 5 ? "… " : "") + terms + " c\(server.commitIndex)"
    }
}
