import RaftCluster
import RaftCore

/// Where things go on a drawn chart: the geometry the SVG and the page share.
struct Layout {
    static let headerHeight = 44.0
    static let margin = 86.0
    static let laneWidth = 150.0
    static let rowHeight = 26.0
    static let footerHeight = 34.0

    let recording: Recording
    /// The rows drawn (the page draws a long run in pieces).
    let rows: Range<Int>
    /// Space above the first row for the lanes' names (none in the page's pieces,
    /// which show the names in a header of their own).
    var header = Self.headerHeight
    /// Space below the last row, where messages still in flight dangle.
    var footer = Self.footerHeight

    var width: Double { Self.width(lanes: recording.lanes.count) }
    var height: Double { header + Self.rowHeight * Double(rows.count) + footer }

    static func width(lanes: Int) -> Double { margin + laneWidth * Double(lanes) + 130 }

    func x(_ lane: Int) -> Double { Self.margin + Self.laneWidth * (Double(lane) + 0.5) }
    func top(_ row: Int) -> Double { header + Self.rowHeight * Double(row - rows.lowerBound) }
    func y(_ row: Int) -> Double { top(row) + Self.rowHeight / 2 }
    var bottom: Double { top(rows.upperBound) }

    /// Each lane's state over rows: runs of rows with one state, as drawn.
    func bands() -> [[(rows: Range<Int>, state: LaneState)]] {
        var result = Array(repeating: [(rows: Range<Int>, state: LaneState)](), count: recording.lanes.count)
        var current = Array(repeating: (start: 0, state: LaneState(life: .absent, term: 0)), count: recording.lanes.count)
        for change in recording.changes {
            let lane = change.lane
            if change.row > current[lane].start {
                result[lane].append((current[lane].start..<change.row, current[lane].state))
            }
            current[lane] = (change.row, change.state)
        }
        for lane in current.indices where current[lane].start < recording.rows.count {
            result[lane].append((current[lane].start..<recording.rows.count, current[lane].state))
        }
        return result
    }

    /// Each server's partition group at a row, by lane; nil when the network is whole.
    func groups(at row: Int) -> [Int?]? {
        let cluster = recording.steps[recording.rows[row].step].cluster
        guard let groups = cluster.groups else { return nil }
        var byLane = [Int?](repeating: nil, count: recording.lanes.count)
        for (index, name) in cluster.names.enumerated() {
            if let lane = recording.lanes.firstIndex(of: name) { byLane[lane] = groups[index] }
        }
        return byLane
    }
}
