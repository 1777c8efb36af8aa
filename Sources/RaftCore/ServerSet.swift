/// A set of servers as a bit set: the votes a candidate has collected.
///
/// Votes are counted on every RequestVoteResponse and a set is made at every
/// election, so membership and count must be cheap and allocation-free for
/// small clusters: the first 64 servers live in an inline word, and only larger
/// clusters (up to 1000 servers) put the rest on the heap.
public struct ServerSet: Hashable, Sendable {
    /// Servers 0 to 63.
    @usableFromInline var first: UInt64 = 0
    /// Servers from 64 on, 64 to a word; nil until one joins. Not an empty array:
    /// copying or dropping a set retains or releases what this holds, and a nil
    /// costs less to retain than the shared empty array.
    @usableFromInline var rest: [UInt64]?

    public init() {}

    /// Inlinable, so that a candidate's set of its own vote is built in place.
    @inlinable
    public init(_ members: some Sequence<ServerID>) {
        for member in members { insert(member) }
    }

    /// Inlinable, and without `rest ?? []`, which retains and releases the
    /// shared empty array: a candidate counts its votes on every response.
    @inlinable
    public var count: Int {
        guard let rest else { return first.nonzeroBitCount }
        return rest.reduce(first.nonzeroBitCount) { $0 + $1.nonzeroBitCount }
    }

    /// Inlinable for servers 0 to 63, which are every server of the clusters a
    /// simulation runs: votes are counted and partition groups built with
    /// these two, and the call cost more than the bit operation.
    @inlinable
    public func contains(_ server: ServerID) -> Bool {
        server.index < 64 ? first & (1 << UInt64(server.index)) != 0 : restContains(server)
    }

    @inlinable
    public mutating func insert(_ server: ServerID) {
        if server.index < 64 {
            first |= 1 << UInt64(server.index)
        } else {
            insertInRest(server)
        }
    }

    @usableFromInline
    func restContains(_ server: ServerID) -> Bool {
        let (word, bit) = server.index.quotientAndRemainder(dividingBy: 64)
        guard let rest else { return false }
        return word <= rest.count && rest[word - 1] & (1 << UInt64(bit)) != 0
    }

    @usableFromInline
    mutating func insertInRest(_ server: ServerID) {
        let (word, bit) = server.index.quotientAndRemainder(dividingBy: 64)
        var words = rest.take() ?? []
        if word > words.count {
            words.append(contentsOf: repeatElement(0, count: word - words.count))
        }
        words[word - 1] |= 1 << UInt64(bit)
        rest = words
    }

    /// Members in cluster order.
    public var members: [ServerID] {
        var result: [ServerID] = []
        for (w, word) in ([first] + (rest ?? [])).enumerated() where word != 0 {
            for bit in 0..<64 where word & (1 << UInt64(bit)) != 0 {
                result.append(ServerID(w * 64 + bit))
            }
        }
        return result
    }
}
