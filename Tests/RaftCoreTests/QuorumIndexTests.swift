import Testing

@testable import RaftCore

/// The N of the commit rule before its term is checked: the highest index
/// stored on a majority, checked against Figure 2's words taken literally.
@Suite(.timeLimit(.minutes(3)))
struct QuorumIndexTests {
    /// Figure 2 literally: the largest N such that a majority of the servers
    /// (the leader's own log counting as its matchIndex) store index N or later.
    static func literal(stored: [Int], majority: Int) -> Int {
        (0...(stored.max() ?? 0)).last { n in stored.count { $0 >= n } >= majority } ?? 0
    }

    static func leadership(_ matchIndex: [Int]) -> Leadership {
        Leadership(progress: matchIndex.map { Leadership.Progress(nextIndex: $0 + 1, matchIndex: $0) }, votes: ServerSet())
    }

    @Test func figure8StyleExamples() {
        // Five servers, leader s1 with 4 entries: s2 has 4, s3 has 2, s4 and s5 none.
        let five = Self.leadership([99, 4, 2, 0, 0])  // the leader's own slot is not read
        #expect(five.highestIndexStoredOnMajority(leader: s(1), leaderLastIndex: 4, majority: 3) == 2)
        // One server: its own log is a majority.
        #expect(Self.leadership([0]).highestIndexStoredOnMajority(leader: s(1), leaderLastIndex: 7, majority: 1) == 7)
        // Three servers, the leader not the first.
        #expect(Self.leadership([3, 0, 1]).highestIndexStoredOnMajority(leader: s(2), leaderLastIndex: 5, majority: 2) == 3)
    }

    /// Every assignment of indexes 0…3 to clusters of 1 to 5 servers, every leader.
    @Test func agreesWithTheRuleAsWrittenEverywhereSmall() {
        var checked = 0
        for size in 1...5 {
            let majority = size / 2 + 1
            for code in 0..<(1 << (2 * size)) {
                let stored = (0..<size).map { (code >> (2 * $0)) & 3 }
                for leader in 0..<size {
                    let found = Self.leadership(stored).highestIndexStoredOnMajority(
                        leader: ServerID(leader), leaderLastIndex: stored[leader], majority: majority)
                    #expect(found == Self.literal(stored: stored, majority: majority), "stored \(stored), leader \(leader)")
                    checked += 1
                }
            }
        }
        #expect(checked == 1 * 4 + 2 * 16 + 3 * 64 + 4 * 256 + 5 * 1024)
    }
}
