import RaftCluster
import RaftCore

/// `deliver` and `drop`.
extension Interpreter {
    mutating func deliver(_ selection: MessageSelection, trace: inout Trace, reply: inout Reply) throws {
        let delivered: Int
        switch selection {
        case let .link(from, to, amount):
            try cluster.deliver(from: resolve(from), to: resolve(to), count: amount, trace: &trace)
            return
        case let .nth(from, to, position):
            let message = try cluster.message(from: resolve(from), to: resolve(to), position: position - 1)
            try cluster.deliver(sequence: message.sequence, trace: &trace)
            return
        case .from(let ref):
            let id = try resolve(ref)
            delivered = try cluster.deliverAll(where: { $0.from == id }, trace: &trace)
        case .to(let ref):
            let id = try resolve(ref)
            delivered = try cluster.deliverAll(where: { $0.to == id }, trace: &trace)
        case .all:
            delivered = try cluster.deliverAll(trace: &trace)
        }
        if delivered == 0 { reply.lines.append(try nothingInFlight(selection)) }
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
        if count == 0 {
            reply.lines.append(try nothingInFlight(selection))
        } else if settings.trace {
            reply.lines.append(Narrator.mark("dropped \(count) message\(count == 1 ? "" : "s")"))
        }
    }

    /// What `deliver` and `drop` say when they find nothing to take: only the forms
    /// by sender, by receiver and `all` get here, as a link with nothing on it is an error.
    private func nothingInFlight(_ selection: MessageSelection) throws -> String {
        switch selection {
        case .from(let ref): "nothing in flight from \(cluster.name(try resolve(ref)))"
        case .to(let ref): "nothing in flight to \(cluster.name(try resolve(ref)))"
        case .all, .link, .nth: "nothing in flight"
        }
    }

    mutating func duplicate(from: ServerRef, to: ServerRef, position: Int, trace: inout Trace) throws {
        let message = try cluster.message(from: resolve(from), to: resolve(to), position: position - 1)
        cluster.duplicate(sequence: message.sequence, trace: &trace)
    }
}
