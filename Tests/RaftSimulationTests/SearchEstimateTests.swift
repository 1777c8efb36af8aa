import Testing

@testable import RaftSimulation

/// The guess of a search's size from its first levels, against the levels
/// of three real searches (states found through each level, from `explore`).
@Suite(.timeLimit(.minutes(3)))
struct SearchEstimateTests {
    /// `explore` (3 servers, terms ≤ 2, logs ≤ 1, ≤ 6 in flight): 1 727 273 states.
    static let defaults = [1, 2, 5, 15, 53, 196, 666, 1905, 4619, 10294, 22187, 44759, 80271, 127510, 188618, 273719, 388390, 518930, 645717, 769153, 904740, 1051981, 1186974]
    /// `explore --max-term 2 --max-log 1 --clients 1 --max-in-flight 5`: 5 172 937 states.
    static let readme = [1, 2, 5, 15, 49, 155, 464, 1308, 3164, 6266, 10932, 19375, 35924, 62161, 93663, 128631, 179728, 264632, 379738, 499268, 617698, 772790, 996722, 1260515, 1505559, 1730433, 1999135, 2343479, 2702778]
    /// `explore --servers 4`: 3 054 502 states.
    static let fourServers = [1, 2, 5, 15, 49, 152, 410, 927, 1735, 2798, 4478, 8600, 19207, 41090, 75378, 115186, 149938, 181451, 232705, 330670, 480910, 655627, 806294]

    static func estimate(_ throughLevel: some Collection<Int>) -> SearchEstimate {
        var estimate = SearchEstimate()
        for (level, found) in throughLevel.enumerated() {
            var statistics = Explorer.Statistics()
            statistics.depth = level + 1
            statistics.distinct = found + 1
            estimate.observe(statistics)
        }
        return estimate
    }

    /// A floor: never above the final count, and within a thirtieth of it
    /// from the sixteenth level on.
    @Test(arguments: [(defaults, 1_727_273), (readme, 5_172_937), (fourServers, 3_054_502)])
    func theGuessIsAFloorNotFarBelowTheFinalCount(levels: [Int], final: Int) throws {
        for count in 10...levels.count {
            let states = try #require(Self.estimate(levels.prefix(count)).states)
            #expect(states <= final, "after \(count) levels")
            #expect(states >= levels[count - 1], "after \(count) levels")
            if count >= 16 { #expect(states * 30 >= final, "after \(count) levels") }
        }
    }

    @Test func noGuessBeforeTenLevels() {
        #expect(Self.estimate(Self.defaults.prefix(9)).states == nil)
        #expect(Self.estimate(Self.defaults.prefix(10)).states != nil)
    }

    /// A space still doubling each level is far from done.
    @Test func levelsThatKeepDoublingMakeALongSearch() throws {
        let doubling = (0..<20).map { (1 << ($0 + 1)) - 1 }
        let estimate = Self.estimate(doubling)
        let states = try #require(estimate.states)
        #expect(states > 10 * doubling.last!)
        let seconds = try #require(estimate.remainingSeconds(rate: 250_000))
        #expect(seconds > 60)
    }

    /// A space whose levels have stopped growing is nearly done.
    @Test func levelsThatStoppedGrowingMakeAShortOne() throws {
        let flat = [1, 3, 9, 27, 60, 100, 130, 150, 160, 165, 167, 168]
        let estimate = Self.estimate(flat)
        let states = try #require(estimate.states)
        #expect(states < 200)
        #expect(try #require(estimate.remainingSeconds(rate: 250_000)) < 1)
    }
}
