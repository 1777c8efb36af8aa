import Foundation

/// How big a breadth-first search will get at least, guessed from how its
/// first levels grew, so that a search that will clearly run long can say so
/// early (`raftsh explore` on a terminal).
///
/// The states found through each level grow by a factor that falls as the
/// bounds near: the guess fits a line to the logarithms of the last five
/// factors and carries it on until the growth stops. The levels of a Raft
/// search come in waves (elections, then a client request replicated, then
/// the next election), so a single guess swings; the least of the last three
/// is kept. On three spaces of 1.7 to 5.2 million states (the tests), it
/// never passed the final count, and from the sixteenth level on it was
/// within a thirtieth of it: a floor ("at least about"), never a promise.
public struct SearchEstimate: Sendable {
    /// The states found through each completed level, from level 0 (the start).
    public private(set) var throughLevel: [Int] = []
    private var recentGuesses: [Int] = []
    /// How many growth factors the line is fitted to.
    static let fitted = 5
    /// The least fall per level of the factor's logarithm: levels that keep
    /// their growth are taken to slow all the same, as every bound is reached.
    static let leastDecline = 0.05

    public init() {}

    /// Takes in a search's statistics: at the first state of a new depth, every
    /// state found before it is of the levels before.
    public mutating func observe(_ statistics: Explorer.Statistics) {
        while throughLevel.count < statistics.depth {
            throughLevel.append(statistics.distinct - 1)
            if let guess = Self.guess(throughLevel) {
                recentGuesses = Array((recentGuesses + [guess]).suffix(3))
            }
        }
    }

    /// At least about how many states the whole search will find; nil for the
    /// first ten levels, whose growth says little yet.
    public var states: Int? {
        guard throughLevel.count >= 10, let least = recentGuesses.min(), let found = throughLevel.last else { return nil }
        return max(least, found)
    }

    /// The seconds the rest of the search will take at `rate` states a second.
    public func remainingSeconds(rate: Double) -> Double? {
        guard let states, rate > 0, let found = throughLevel.last else { return nil }
        return Double(max(states - found, 0)) / rate
    }

    /// One guess from the states through each level so far.
    static func guess(_ throughLevel: [Int]) -> Int? {
        guard throughLevel.count > fitted, throughLevel.allSatisfy({ $0 > 0 }), let found = throughLevel.last else { return nil }
        let factors = zip(throughLevel.dropFirst(), throughLevel).suffix(fitted).map { log(Double($0) / Double($1)) }
        // Least squares: the factor's trend per level, and where it stands now.
        let middle = Double(fitted - 1) / 2
        let mean = factors.reduce(0, +) / Double(fitted)
        var covariance = 0.0, variance = 0.0
        for (position, factor) in factors.enumerated() {
            covariance += (Double(position) - middle) * (factor - mean)
            variance += (Double(position) - middle) * (Double(position) - middle)
        }
        let slope = covariance / variance
        let decline = max(-slope, leastDecline)
        var growth = mean + slope * middle - decline
        var total = 0.0
        while growth > 0 {
            total += growth
            growth -= decline
        }
        return Int(Double(found) * exp(min(total, 30)))
    }
}
