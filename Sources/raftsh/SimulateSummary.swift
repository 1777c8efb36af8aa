import Foundation
import RaftCluster
import RaftNode
import RaftSimulation

/// What `simulate` reports at its end, in one place: its text lines, its
/// `--json` object, and what `simulate merge` reads back and adds up. A figure
/// added to `Simulation.Statistics` is added to `statisticsMembers` and
/// `statistics(from:)` below, and every form has it.
struct SimulateSummary: Equatable {
    /// The options that make runs comparable: shards merge only when these agree.
    var options: [JSON.Member]
    /// The seeds asked for, as ranges of first and last seed.
    var seeds: [ClosedRange<UInt64>]
    var statistics: Simulation.Statistics
    /// Wall-clock time (summed over shards once merged).
    var seconds: Double
    /// The signal that stopped the runs part of the way, as a name.
    var stoppedBy: String?
    var violation: Violation?

    struct Violation: Equatable {
        var seed: UInt64
        var property: String
        var description: String
        /// Events of the run up to the violation, and after shrinking (nil if not shrunk).
        var events: Int
        var shrunkEvents: Int?
        /// The counterexample script written, if one was.
        var counterexample: String?
    }

    static func options(_ options: SimulationOptions, node: String?) -> [JSON.Member] {
        [
            .init("servers", .int(options.servers)), .init("steps", .int(options.steps)),
            .init("loss", .double(options.loss)), .init("duplicate", .double(options.duplicate)),
            .init("partitions", .bool(options.partitions)), .init("crashes", .bool(options.crashes)),
            .init("clients", .bool(options.clients)), .init("cuts", .bool(options.cuts)),
            .init("prevote", .bool(options.prevote)), .init("checkquorum", .bool(options.checkQuorum)), .init("transfers", .bool(options.transfers)),
            .init("unsafe", options.unsafe.map { .string($0.rawValue) } ?? .null),
            .init("node", node.map(JSON.string) ?? .null),
        ]
    }

    // MARK: Statistics

    static func statisticsMembers(_ s: Simulation.Statistics) -> [JSON.Member] {
        [
            .init("runs", .int(s.runs)), .init("unfinishedRuns", .int(s.unfinished)), .init("events", .int(s.events)),
            .init("elections", .int(s.elections)), .init("highestTerm", .int(s.highestTerm)), .init("committed", .int(s.committed)),
            .init("electionsStarted", .int(s.electionsStarted)), .init("termsStarted", .int(s.termsStarted)),
            .init("longestWithoutLeader", .int(s.longestWithoutLeader)), .init("longestWithoutLeaderSummed", .int(s.longestWithoutLeaderSummed)),
        ]
    }

    static func statistics(from json: JSON) throws(SummaryError) -> Simulation.Statistics {
        var s = Simulation.Statistics()
        s.runs = try json.count("runs")
        s.unfinished = try json.count("unfinishedRuns")
        s.events = try json.count("events")
        s.elections = try json.count("elections")
        s.highestTerm = try json.count("highestTerm")
        s.committed = try json.count("committed")
        s.electionsStarted = try json.count("electionsStarted")
        s.termsStarted = try json.count("termsStarted")
        s.longestWithoutLeader = try json.count("longestWithoutLeader")
        s.longestWithoutLeaderSummed = try json.count("longestWithoutLeaderSummed")
        return s
    }

    // MARK: JSON

    var json: JSON {
        let perSecond = Double(statistics.events) / max(seconds, 1e-9)
        var members: [JSON.Member] = [
            .init("command", .string("simulate")),
            .init("options", JSON(object: options)),
            .init("seeds", .array(seeds.map { .array([Self.number($0.lowerBound), Self.number($0.upperBound)]) })),
            .init("partial", .bool(stoppedBy != nil)),
            .init("stoppedBy", stoppedBy.map(JSON.string) ?? .null),
            .init("seconds", .double((seconds * 1000).rounded() / 1000)),
            .init("eventsPerSecond", .int(Int(perSecond))),
        ]
        members += Self.statisticsMembers(statistics)
        members.append(.init("violation", violation.map { v in
            JSON(object: [
                .init("seed", Self.number(v.seed)), .init("property", .string(v.property)),
                .init("description", .string(v.description)), .init("events", .int(v.events)),
                .init("shrunkEvents", v.shrunkEvents.map(JSON.int) ?? .null),
                .init("counterexample", v.counterexample.map(JSON.string) ?? .null),
            ])
        } ?? .null))
        return JSON(object: members)
    }

    /// A seed as a JSON number (an integer up to 2⁶³ − 1, beyond that a double).
    static func number(_ seed: UInt64) -> JSON {
        seed <= UInt64(Int.max) ? .int(Int(seed)) : .double(Double(seed))
    }

    init(options: [JSON.Member], seeds: [ClosedRange<UInt64>], statistics: Simulation.Statistics, seconds: Double, stoppedBy: String?, violation: Violation?) {
        self.options = options
        self.seeds = seeds
        self.statistics = statistics
        self.seconds = seconds
        self.stoppedBy = stoppedBy
        self.violation = violation
    }

    /// Reads a summary `simulate --json` wrote.
    init(json: JSON) throws(SummaryError) {
        guard json["command"] == .string("simulate") else { throw SummaryError("not a `raftsh simulate --json` summary (no \"command\": \"simulate\")") }
        guard case .object(let options)? = json["options"] else { throw SummaryError("\"options\" is missing or not an object") }
        self.options = options
        guard case .array(let ranges)? = json["seeds"] else { throw SummaryError("\"seeds\" is missing or not an array") }
        seeds = []
        for range in ranges {
            guard case .array(let ends) = range, ends.count == 2, let first = Self.seed(ends[0]), let last = Self.seed(ends[1]), first <= last else {
                throw SummaryError("\"seeds\" holds \(JSONWriter.text(range)), not a [first, last] pair of seeds")
            }
            seeds.append(first...last)
        }
        statistics = try Self.statistics(from: json)
        guard case let seconds = json["seconds"], let value = seconds.flatMap(Self.double), value >= 0 else { throw SummaryError("\"seconds\" is missing or not a number") }
        self.seconds = value
        switch json["stoppedBy"] {
        case .string(let name)?: stoppedBy = name
        case .null?, nil: stoppedBy = nil
        case let other?: throw SummaryError("\"stoppedBy\" is \(other.typeName), not a string or null")
        }
        switch json["violation"] {
        case .null?, nil: violation = nil
        case let found?:
            guard case .string(let property)? = found["property"], case .string(let description)? = found["description"],
                let seed = found["seed"].flatMap(Self.seed)
            else { throw SummaryError("\"violation\" needs a \"seed\", a \"property\" and a \"description\"") }
            let shrunk: Int? = if case .int(let n)? = found["shrunkEvents"] { n } else { nil }
            let path: String? = if case .string(let p)? = found["counterexample"] { p } else { nil }
            violation = Violation(seed: seed, property: property, description: description, events: try found.count("events"), shrunkEvents: shrunk, counterexample: path)
        }
    }

    private static func seed(_ value: JSON) -> UInt64? {
        if case .int(let n) = value, n >= 0 { return UInt64(n) }
        return nil
    }

    private static func double(_ value: JSON) -> Double? {
        switch value {
        case .int(let n): Double(n)
        case .double(let d): d
        default: nil
        }
    }

    // MARK: Merging

    /// Adds a shard's summary: sums, the highest term, the violation of the
    /// lowest seed. Shards must agree on their options and not share a seed.
    mutating func merge(_ other: SimulateSummary) throws(SummaryError) {
        if let difference = JSON.firstDifference(JSON(object: options), JSON(object: other.options)) {
            throw SummaryError("its options differ from the first file's (\(difference.path): \(difference.a.map(JSONWriter.text) ?? "none") there, \(difference.b.map(JSONWriter.text) ?? "none") here)")
        }
        for mine in seeds {
            for theirs in other.seeds where mine.overlaps(theirs) {
                throw SummaryError("its seeds \(theirs.lowerBound)…\(theirs.upperBound) overlap seeds \(mine.lowerBound)…\(mine.upperBound) of an earlier file: a run would count twice")
            }
        }
        seeds = Self.joined(seeds + other.seeds)
        statistics.add(other.statistics)
        seconds += other.seconds
        stoppedBy = stoppedBy ?? other.stoppedBy
        if let found = other.violation, violation.map({ found.seed < $0.seed }) ?? true { violation = found }
    }

    /// Sorted, with ranges that meet joined: shards 1…100 and 101…200 are seeds 1…200.
    static func joined(_ ranges: [ClosedRange<UInt64>]) -> [ClosedRange<UInt64>] {
        var result: [ClosedRange<UInt64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, last.upperBound < UInt64.max, last.upperBound + 1 >= range.lowerBound {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}

/// A summary file `simulate merge` cannot use, said in one phrase.
struct SummaryError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension JSON {
    /// A count: a whole number, 0 or more.
    fileprivate func count(_ key: String) throws(SummaryError) -> Int {
        guard case .int(let n)? = self[key], n >= 0 else {
            throw SummaryError("\"\(key)\" is \(self[key]?.typeName ?? "missing"), not a count")
        }
        return n
    }
}
