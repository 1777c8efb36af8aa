import RaftNode
import RaftSimulation

/// What `explore --json` prints, built in one place from the search's figures.
struct ExploreSummary {
    var options: ExploreOptions
    var node: String?
    var from: String?
    var statistics: Explorer.Statistics
    var seconds: Double
    var peakMemoryMiB: Int
    /// The signal that stopped the search part of the way, as a name.
    var stoppedBy: String?
    var violation: (property: String, description: String, events: Int, counterexample: String)?

    var json: JSON {
        let s = statistics
        let options: [JSON.Member] = [
            .init("servers", .int(self.options.servers)), .init("maxTerm", .int(self.options.maxTerm)),
            .init("maxLog", .int(self.options.maxLog)), .init("maxInFlight", .int(self.options.maxInFlight)),
            .init("crashes", .bool(self.options.crashes)), .init("drops", .bool(self.options.drops)),
            .init("duplicates", .bool(self.options.duplicates)), .init("cuts", .bool(self.options.cuts)), .init("clients", .int(self.options.clients)),
            .init("prevote", .bool(self.options.prevote)), .init("checkquorum", .bool(self.options.checkQuorum)), .init("transfers", .bool(self.options.transfers)),
            .init("unsafe", self.options.unsafe.map { .string($0.rawValue) } ?? .null),
            .init("symmetry", .bool(self.options.symmetry)), .init("node", node.map(JSON.string) ?? .null),
            .init("from", from.map(JSON.string) ?? .null),
        ]
        return JSON(object: [
            .init("command", .string("explore")),
            .init("options", JSON(object: options)),
            .init("partial", .bool(stoppedBy != nil)),
            .init("stoppedBy", stoppedBy.map(JSON.string) ?? .null),
            .init("distinctStates", .int(s.distinct)), .init("generatedStates", .int(s.generated)),
            .init("unreducedStates", .int(s.unreduced)), .init("depth", .int(s.depth)), .init("queued", .int(s.queued)),
            .init("seconds", .double((seconds * 1000).rounded() / 1000)),
            .init("distinctStatesPerSecond", .int(Int(Double(s.distinct) / max(seconds, 1e-9)))),
            .init("generatedStatesPerSecond", .int(Int(Double(s.generated) / max(seconds, 1e-9)))),
            .init("peakMemoryMiB", .int(peakMemoryMiB)),
            .init("violation", violation.map { v in
                JSON(object: [
                    .init("property", .string(v.property)), .init("description", .string(v.description)),
                    .init("events", .int(v.events)), .init("counterexample", .string(v.counterexample)),
                ])
            } ?? .null),
        ])
    }
}
