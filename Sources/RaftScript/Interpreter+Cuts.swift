import RaftCluster
import RaftCore

/// `cut A->B`, `cut A B`, `heal A->B`, `heal A B` (section 10): one-way link cuts.
extension Interpreter {
    /// Cuts one link or both; a link cut already stays cut and is said so.
    mutating func cut(_ a: ServerID, _ b: ServerID, bothWays: Bool, trace: inout Trace, reply: inout Reply, events: inout [String]) throws {
        // Checked before anything is cut, so that `cut s1 s1` changes nothing.
        guard a != b else { throw ClusterError.cutToItself(cluster.name(a)) }
        for (from, to) in bothWays ? [(a, b), (b, a)] : [(a, b)] {
            let written = link(from, to)
            guard try cluster.cut(from: from, to: to, trace: &trace) else {
                reply.lines.append("\(written) is cut already")
                continue
            }
            narrate("link \(written) cut: every message from \(cluster.name(from)) to \(cluster.name(to)) is lost until `heal \(written)` or `heal`", into: &events)
        }
    }

    /// Heals one link or both; healing a link that is not cut is not an error, and is said so.
    mutating func healCut(_ a: ServerID, _ b: ServerID, bothWays: Bool, reply: inout Reply, events: inout [String]) {
        for (from, to) in bothWays && a != b ? [(a, b), (b, a)] : [(a, b)] {
            if cluster.heal(from: from, to: to) {
                narrate("link \(link(from, to)) healed: messages from \(cluster.name(from)) to \(cluster.name(to)) get through again (nothing lost comes back)", into: &events)
            } else {
                reply.lines.append("\(link(from, to)) is not cut: nothing to heal")
            }
        }
    }

    /// "s1->s3".
    func link(_ from: ServerID, _ to: ServerID) -> String {
        "\(cluster.name(from))->\(cluster.name(to))"
    }

    /// "cut links: s1->s3 s3->s1" (those touching `server` only, if given), or
    /// nil when none is cut: a line of `show` and `show net`.
    func cutLinks(touching server: ServerID? = nil) -> String? {
        let links = cluster.cuts.links.filter { server == nil || $0.from == server || $0.to == server }
        return links.isEmpty ? nil : links.map { link($0.from, $0.to) }.joined(separator: " ")
    }
}
