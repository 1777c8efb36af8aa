import RaftCore

/// A step of an exhaustive search in 32 bits, so the search can remember how it
/// first reached each of millions of states: 3 bits of kind, 3 bits per server
/// (hence `ExploreOptions.maxServers`), 23 bits of position on the link. The
/// eight kinds are taken: a crash and a restart name one server and no
/// position, so a cut and a heal of a link share their kinds, told apart by a
/// position of 1; a transfer is a heartbeat's kind with position 1 (a
/// heartbeat names no message) and its target as the second server.
extension Step {
    static let maxPosition = 1 << 23 - 1

    var code: UInt32 {
        func pack(_ kind: UInt32, _ a: ServerID, _ b: ServerID = ServerID(0), _ position: Int = 0) -> UInt32 {
            precondition(a.index < ExploreOptions.maxServers && b.index < ExploreOptions.maxServers && position <= Self.maxPosition)
            return kind << 29 | UInt32(a.index) << 26 | UInt32(b.index) << 23 | UInt32(position)
        }
        switch self {
        case .timeout(let id): return pack(0, id)
        case .heartbeat(let id): return pack(1, id)
        case let .transfer(id, target): return pack(1, id, target, 1)
        case .submit(let id, _): return pack(2, id)
        case let .deliver(from, to, position): return pack(3, from, to, position)
        case let .drop(from, to, position): return pack(4, from, to, position)
        case let .duplicate(from, to, position): return pack(5, from, to, position)
        case .crash(let id): return pack(6, id)
        case .restart(let id): return pack(7, id)
        case let .cut(from, to): return pack(6, from, to, 1)
        case let .healCut(from, to): return pack(7, from, to, 1)
        case .partition, .heal: preconditionFailure("exhaustive search does not partition")
        }
    }

    /// The step a code stands for; a client request carries the value the search
    /// gives the `submitted + 1`-th request (`v1`, `v2`, …), so it is not stored.
    init(code: UInt32, submitted: Int) {
        let a = ServerID(Int(code >> 26 & 7)), b = ServerID(Int(code >> 23 & 7))
        let position = Int(code & UInt32(Self.maxPosition))
        switch code >> 29 {
        case 0: self = .timeout(a)
        case 1: self = position == 1 ? .transfer(a, to: b) : .heartbeat(a)
        case 2: self = .submit(a, Self.clientValue(submitted + 1))
        case 3: self = .deliver(from: a, to: b, position: position)
        case 4: self = .drop(from: a, to: b, position: position)
        case 5: self = .duplicate(from: a, to: b, position: position)
        case 6: self = position == 1 ? .cut(from: a, to: b) : .crash(a)
        default: self = position == 1 ? .healCut(from: a, to: b) : .restart(a)
        }
    }

    /// The value of the n-th client request of a search or a random run.
    static func clientValue(_ n: Int) -> String { "v\(n)" }
}

extension Step {
    var isClientRequest: Bool {
        if case .submit = self { true } else { false }
    }
}
