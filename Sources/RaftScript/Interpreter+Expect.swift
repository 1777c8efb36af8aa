import RaftCluster
import RaftCore

/// `expect`: each assertion returns nil when it holds, or "found …, expected …".
extension Interpreter {
    func check(_ assertion: Assertion) throws(CommandError) -> String? {
        switch assertion {
        case let .role(ref, role):
            let id = try resolve(ref)
            let found = describeRole(id)
            return found == role.rawValue ? nil : "\(cluster.name(id)) is \(found), expected \(role.rawValue)"
        case .down(let ref):
            let id = try resolve(ref)
            return cluster.isUp[id.index] ? "\(cluster.name(id)) is up, expected down" : nil
        case .up(let ref):
            let id = try resolve(ref)
            return cluster.isUp[id.index] ? nil : "\(cluster.name(id)) is down, expected up"
        case let .term(ref, term):
            let id = try resolve(ref)
            let found = cluster[id].currentTerm
            return found == term ? nil : "\(cluster.name(id)) term is \(found), expected \(term)"
        case let .voted(ref, candidate):
            let id = try resolve(ref)
            let expected = try candidate.map(resolve)
            let found = cluster[id].votedFor
            guard found != expected else { return nil }
            return "\(cluster.name(id)) voted for \(name(found)), expected \(name(expected))"
        case let .log(ref, expected):
            let id = try resolve(ref)
            let log = cluster[id].log
            let matches = log.lastIndex == expected.count && zip(log.entries, expected).allSatisfy { entry, want in
                entry.term == want.term && (want.value == nil || want.value == entry.value)
            }
            guard !matches else { return nil }
            let showValues = expected.contains { $0.value != nil }
            return "\(cluster.name(id)) log is \(Render.log(log, values: showValues)), expected \(Render.expected(expected))"
        case let .commit(ref, index):
            let id = try resolve(ref)
            let found = cluster[id].commitIndex
            return found == index ? nil : "\(cluster.name(id)) commit is \(found), expected \(index)"
        case let .votes(ref, count):
            let id = try resolve(ref)
            if let program = cluster.implementation.program, cluster[id].role.votes != nil,
                !cluster.programStates[id.index].reportsVotes
            {
                throw CommandError("\(cluster.name(id))'s state has no `votes`: \(program.description) does not report them (node protocol, section 4)")
            }
            guard let votes = cluster[id].role.votes, cluster.isUp[id.index] else {
                return "\(cluster.name(id)) is \(describeRole(id)) and has no votes, expected \(count)"
            }
            guard votes.count != count else { return nil }
            let voters = votes.members.map(cluster.name).joined(separator: " ")
            return "\(cluster.name(id)) has \(votes.count) vote\(votes.count == 1 ? "" : "s") (\(voters)), expected \(count)"
        case .leaderIs(let ref):
            let id = try resolve(ref)
            let server = cluster[id]
            guard cluster.isUp[id.index], server.role.kind == .leader else {
                return "\(cluster.name(id)) is \(describeRole(id)), expected the leader"
            }
            let rivals = cluster.liveLeaders.filter { $0 != id && cluster[$0].currentTerm >= server.currentTerm }
            guard rivals.isEmpty else {
                let rival = rivals[0]
                return "\(cluster.name(rival)) is also LEADER (term \(cluster[rival].currentTerm) ≥ \(server.currentTerm)), expected \(cluster.name(id)) alone"
            }
            return nil
        case .leaders(let count):
            let leaders = cluster.liveLeaders
            guard leaders.count != count else { return nil }
            let listed = leaders.isEmpty ? "" : " (\(leaders.map(cluster.name).joined(separator: " ")))"
            return "\(leaders.count) live leader\(leaders.count == 1 ? "" : "s")\(listed), expected \(count)"
        case .pending(let count):
            let found = cluster.network.count
            return found == count ? nil : "\(found) message\(found == 1 ? "" : "s") in flight, expected \(count)"
        case let .pendingOnLink(fromRef, toRef, count):
            let from = try resolve(fromRef), to = try resolve(toRef)
            let found = cluster.network.count(from: from, to: to)
            guard found != count else { return nil }
            return "\(found) message\(found == 1 ? "" : "s") in flight from \(cluster.name(from)) to \(cluster.name(to)), expected \(count)"
        case .safe:
            guard let violation = cluster.safety.violations.first else { return nil }
            return "not safe: \(violation.describe(cluster.name))"
        }
    }

    /// LEADER, FOLLOWER or CANDIDATE, or "down".
    func describeRole(_ id: ServerID) -> String {
        cluster.isUp[id.index] ? cluster[id].role.kind.rawValue : "down"
    }

    func name(_ id: ServerID?) -> String {
        id.map(cluster.name) ?? "none"
    }
}
