import RaftCluster
import RaftCore

/// `deliver` and `drop`.
extension Interpreter {
    mutating func deliver(_ selection: MessageSelection, trace: inout Trace, reply: inout Reply) throws {
        switch selection {
        case let .link(from, to, amount):
            try cluster.deliver(from: resolve(from), to: resolve(to), count: amount, trace: &trace)
        case let .nth(from, to, position):
            let message = try cluster.message(from: resolve(from), to: resolve(to), position: position - 1)
            cluster.deliver(sequence: message.sequence, trace: &trace)
        case .from(let ref):
            let id = try resolve(ref)
            if cluster.deliverAll(where: { $0.from == id }, trace: &trace) == 0 { reply.lines.append("nothing in flight from \(cluster.name(id))") }
        case .to(let ref):
            let id = try resolve(ref)
            if cluster.deliverAll(where: { $0.to == id }, trace: &trace) == 0 { reply.lines.append("nothing in flight to \(cluster.name(id))") }
        case .all:
            if cluster.deliverAll(trace: &trace) == 0 { reply.lines.append("nothing in flight") }
        }
    }

    mutating func drop(_ selection: MessageSelection, trace: inout Trace, reply: inout Reply) throws {
        let count: Int
        switch selection {
        case let .link(from, to, amount):
            count = try cluster.drop(from: resolve(from), to: resolve(to), count: amount, trace: &trace)
        case let .nth(from, to, position):
            let message = try cluster.message(from: resolve(from), to: resolve(to), position: position - 1)
            cluster.drop(sequence: message.sequence, trace: &trace)
            count = 1
        case .from(let ref):
            let id = try resolve(ref)
            count = cluster.dropAll(where: { $0.from == id }, trace: &trace)
        case .to(let ref):
            let id = try resolve(ref)
            count = cluster.dropAll(where: { $0.to == id }, trace: &trace)
        case .all:
            count = cluster.dropAll(trace: &trace)
        }
        if settings.trace { reply.lines.append("dropped \(count) message\(count == 1 ? "" : "s")") }
    }

    mutating func duplicate(from: ServerRef, to: ServerRef, position: Int, trace: inout Trace) throws {
        let message = try cluster.message(from: resolve(from), to: resolve(to), position: position - 1)
        cluster.duplicate(sequence: message.sequence, trace: &trace)
    }
}
