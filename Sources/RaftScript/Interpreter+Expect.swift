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
        case .not(let negated):
            return try checkNot(negated)
        case let .error(command, written):
            return try trial(command) == nil ? "`\(written)` succeeded, expected an error" : nil
        }
    }

    /// `expect not ASSERTION`: nil when the assertion fails, or what was found
    /// that makes it hold, in the words of its own failure messages.
    private func checkNot(_ assertion: Assertion) throws(CommandError) -> String? {
        guard try check(assertion) == nil else { return nil }
        switch assertion {
        case let .role(ref, role):
            let id = try resolve(ref)
            return "\(cluster.name(id)) is \(role.rawValue), expected not \(role.rawValue)"
        case .down(let ref):
            return "\(cluster.name(try resolve(ref))) is down, expected not down"
        case .up(let ref):
            return "\(cluster.name(try resolve(ref))) is up, expected not up"
        case let .term(ref, term):
            return "\(cluster.name(try resolve(ref))) term is \(term), expected not \(term)"
        case let .voted(ref, candidate):
            let id = try resolve(ref)
            let voted = name(try candidate.map(resolve))
            return "\(cluster.name(id)) voted for \(voted), expected not \(voted)"
        case let .log(ref, expected):
            let id = try resolve(ref)
            let showValues = expected.contains { $0.value != nil }
            let written = expected.isEmpty ? "empty" : Render.expected(expected)
            return "\(cluster.name(id)) log is \(Render.log(cluster[id].log, values: showValues)), expected not \(written)"
        case let .commit(ref, index):
            return "\(cluster.name(try resolve(ref))) commit is \(index), expected not \(index)"
        case let .votes(ref, count):
            return "\(cluster.name(try resolve(ref))) has \(count) vote\(count == 1 ? "" : "s"), expected not \(count)"
        case .leaderIs(let ref):
            let id = try resolve(ref)
            return "\(cluster.name(id)) is the leader, expected not \(cluster.name(id))"
        case .leaders(let count):
            let leaders = cluster.liveLeaders
            let listed = leaders.isEmpty ? "" : " (\(leaders.map(cluster.name).joined(separator: " ")))"
            return "\(count) live leader\(count == 1 ? "" : "s")\(listed), expected not \(count)"
        case .pending(let count):
            return "\(count) message\(count == 1 ? "" : "s") in flight, expected not \(count)"
        case let .pendingOnLink(fromRef, toRef, count):
            let from = try resolve(fromRef), to = try resolve(toRef)
            return "\(count) message\(count == 1 ? "" : "s") in flight from \(cluster.name(from)) to \(cluster.name(to)), expected not \(count)"
        case .safe:
            return "safe: every safety property of Figure 3 holds, expected not safe"
        case let .error(command, written):
            // Tried again for its message: only when the expectation fails.
            let message = try trial(command)?.message ?? "no message"
            return "`\(written)` is an error (\(message)), expected it to succeed"
        case .not(let inner):
            // `not not` does not parse; built by hand, it means the assertion itself,
            // which holds here, so `inner` failed: its own message says how.
            return try check(inner)
        }
    }

    /// Runs `command` on a copy of this state, quietly: the error it raised, or nil
    /// if it succeeded. Nothing the copy did is kept. A user's program that fails
    /// is not the command's error: that stops the script, as it would have anyway.
    private func trial(_ command: Command) throws(CommandError) -> CommandError? {
        var copy = self
        copy.settings.trace = false
        copy.keepsEvents = false
        copy.progress = nil
        do {
            _ = try copy.run(command)
            return nil
        } catch where error.isProgramFailure {
            throw error
        } catch {
            return error
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
