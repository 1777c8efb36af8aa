/// A set of servers as a bit set: the votes a candidate has collected.
///
/// Votes are counted on every RequestVoteResponse, so membership and count must
/// be cheap and allocation-free for small clusters.
public struct ServerSet: Hashable, Sendable {
    private var words: [UInt64]

    public init() {
        words = []
    }

    public init(_ members: some Sequence<ServerID>) {
        self.init()
        for member in members { insert(member) }
    }

    public var count: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public func contains(_ server: ServerID) -> Bool {
        let (word, bit) = server.index.quotientAndRemainder(dividingBy: 64)
        return word < words.count && words[word] & (1 << UInt64(bit)) != 0
    }

    public mutating func insert(_ server: ServerID) {
        let (word, bit) = server.index.quotientAndRemainder(dividingBy: 64)
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: word - words.count + 1))
        }
        words[word] |= 1 << UInt64(bit)
    }

    /// Members in cluster order.
    public var members: [ServerID] {
        var result: [ServerID] = []
        for (w, word) in words.enumerated() where word != 0 {
            for bit in 0..<64 where word & (1 << UInt64(bit)) != 0 {
                result.append(ServerID(w * 64 + bit))
            }
        }
        return result
    }
}
