/// The range of every number in RaftScript. A number outside its range is a
/// parse error naming the range, so no later arithmetic (a term plus one, the
/// current tick plus a timeout or a latency) can overflow, and no one command
/// runs for hours.
public enum NumberRange {
    /// Terms: `set S term`, the terms of `set S log` and `expect S log`, `expect S term`.
    /// A term grows by one per election, so no run gets from here to overflow.
    public static let term = 0...1_000_000_000_000
    /// Log indexes: `set S commit`, `expect S commit`, `deliver A->B nth K` (from 1).
    public static let index = 0...1_000_000_000
    /// Counts of messages, leaders and votes: `deliver A->B N` (from 1),
    /// `expect leaders`, `expect pending`, `expect S votes`.
    public static let count = 0...1_000_000_000
    /// Ticks one command may take: `tick N`, `tick until leader max N` (a tenth
    /// of a second to a few seconds on five servers, more on large clusters:
    /// the shell shows progress and Ctrl-C stops it).
    public static let ticks = 0...100_000
    /// Deliveries one `settle N` may make.
    public static let deliveries = 0...10_000_000
    /// Timer lengths and latencies in ticks: `election-timeout LO HI`,
    /// `heartbeat-interval N`, `latency LO HI`.
    public static let duration = 1...1_000_000
    /// Servers in a cluster: `cluster N`, `--servers N`.
    public static let servers = 1...1000
    // `set seed` takes any 64-bit unsigned number, `set loss` a probability from 0 to 1.

    /// The ranges as `help` and the README list them.
    public static let summary: [String] = [
        "terms: \(describe(term))",
        "log indexes: \(describe(index))",
        "counts of messages, leaders, votes: \(describe(count))",
        "ticks in one `tick` or `tick until leader`: \(describe(ticks))",
        "deliveries in one `settle`: \(describe(deliveries))",
        "election timeout, heartbeat interval, latency: \(describe(duration)) ticks",
        "servers in a cluster: \(describe(servers))",
        "seed: 0 to 18446744073709551615 (64 bits); loss: a probability from 0 to 1",
    ]

    /// `0 to 1000000000`.
    static func describe(_ range: ClosedRange<Int>) -> String {
        "\(range.lowerBound) to \(range.upperBound)"
    }
}
