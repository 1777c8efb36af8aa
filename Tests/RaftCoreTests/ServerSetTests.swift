import Testing
import RaftCore

/// Votes in clusters of up to 1000 servers: the first 64 in a word, the rest on the heap.
@Suite(.timeLimit(.minutes(3)))
struct ServerSetTests {
    static let members = [0, 5, 63, 64, 65, 127, 128, 500, 999].map(ServerID.init)

    @Test func holdsServersInEveryWordAndListsThemInClusterOrder() {
        var set = ServerSet()
        #expect(set.count == 0)
        #expect(set.members.isEmpty)
        for member in Self.members.reversed() { set.insert(member) }
        set.insert(ServerID(64))
        #expect(set.count == Self.members.count)
        #expect(set.members == Self.members)
        for index in 0..<1000 {
            #expect(set.contains(ServerID(index)) == Self.members.contains(ServerID(index)))
        }
    }

    @Test func equalAndHashedAlikeWhateverTheOrderOfInsertion() {
        let forward = ServerSet(Self.members)
        let backward = ServerSet(Self.members.reversed())
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(ServerSet([ServerID(1)]) != ServerSet([ServerID(1), ServerID(70)]))
        #expect(ServerSet([ServerID(70)]) != ServerSet([ServerID(71)]))
    }

    /// A copy is a value: inserting into it leaves the original as it was.
    @Test func aCopyChangesAlone() {
        let original = ServerSet([ServerID(2), ServerID(80)])
        var copy = original
        copy.insert(ServerID(81))
        copy.insert(ServerID(3))
        #expect(original.members == [ServerID(2), ServerID(80)])
        #expect(copy.members == [ServerID(2), ServerID(3), ServerID(80), ServerID(81)])
    }
}
