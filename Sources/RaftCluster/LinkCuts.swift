import RaftCore

/// The links cut one way (`cut A->B`, section 10 of the language): every message
/// from A to B is lost, those in flight when the cut is made and those sent
/// later, until that link is healed. Independent of partitions.
///
/// One bit per ordered pair of servers, allocated by the first cut, so asking
/// about a link costs the same however many links are cut, and a network with
/// no cut is told by `count` alone, a number stored in the cluster itself.
public struct LinkCuts: Hashable, Sendable {
    /// Bit `from * size + to` is set when the link from `from` to `to` is cut;
    /// empty until the first cut.
    private var bits: [UInt64] = []
    @usableFromInline let size: Int
    /// How many links are cut.
    public private(set) var count = 0

    init(size: Int) {
        self.size = size
    }

    public var isEmpty: Bool { count == 0 }

    @inlinable
    public func contains(from: ServerID, to: ServerID) -> Bool {
        guard count > 0 else { return false }
        return isSet(from.index * size + to.index)
    }

    @usableFromInline
    func isSet(_ bit: Int) -> Bool {
        bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// Cuts the link; false if it was cut already.
    mutating func insert(from: ServerID, to: ServerID) -> Bool {
        let bit = from.index * size + to.index
        if bits.isEmpty { bits = Array(repeating: 0, count: (size * size + 63) / 64) }
        guard !isSet(bit) else { return false }
        bits[bit >> 6] |= 1 << UInt64(bit & 63)
        count += 1
        return true
    }

    /// Heals the link; false if it was not cut.
    mutating func remove(from: ServerID, to: ServerID) -> Bool {
        let bit = from.index * size + to.index
        guard count > 0, isSet(bit) else { return false }
        bits[bit >> 6] &= ~(1 << UInt64(bit & 63))
        count -= 1
        return true
    }

    /// Heals every link, keeping the storage for the next cut.
    mutating func removeAll() {
        guard count > 0 else { return }
        for index in bits.indices { bits[index] = 0 }
        count = 0
    }

    /// Equal when the same links are cut (storage kept by a heal counts for nothing).
    public static func == (lhs: LinkCuts, rhs: LinkCuts) -> Bool {
        lhs.count == rhs.count && (lhs.count == 0 || lhs.bits == rhs.bits)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        if count > 0 { hasher.combine(bits) }
    }

    /// The cut links, by sender then receiver, in cluster order.
    public var links: [(from: ServerID, to: ServerID)] {
        guard count > 0 else { return [] }
        var links: [(from: ServerID, to: ServerID)] = []
        for from in 0..<size {
            for to in 0..<size where isSet(from * size + to) { links.append((ServerID(from), ServerID(to))) }
        }
        return links
    }
}
