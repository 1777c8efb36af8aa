import RaftCluster

/// Seeded random RaftScript: lines drawn from the grammar (every command, the
/// shell's own, good and bad arguments, numbers at and past the edges of their
/// ranges), then some of them mutated (characters deleted, inserted or replaced
/// by odd ones, words swapped, lines cut, now and then one made longer than the
/// longest line allowed). The same seed gives the same lines.
///
/// Values are drawn so that one script stays fast: `tick` and `settle` take at
/// most a few thousand steps when accepted, and clusters stay small, while the
/// refused edges (a million and one ticks, `Int.max`) are drawn as often.
struct ScriptFuzzer {
    var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    mutating func chance(_ p: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < p
    }

    /// A script of 1 to `maxLines` lines; `shell` adds the shell's own commands.
    mutating func script(maxLines: Int = 24, shell: Bool = false, saveFolder: String? = nil) -> [String] {
        (0..<Int.random(in: 1...maxLines, using: &random)).map { _ in
            if shell && chance(0.1) { return shellLine(saveFolder: saveFolder) }
            let line = grammarLine()
            // In a session `save` writes files: only into `saveFolder`, unmutated.
            if shell && line.hasPrefix("save") { return shellLine(saveFolder: saveFolder) }
            return chance(0.25) ? mutate(line) : line
        }
    }

    // MARK: Words

    mutating func server() -> String {
        pick(["s1", "s2", "s3", "s4", "s5", "s1", "s2", "leader", "s9", "S1", "a", "no", "*", "->", "|", ""])
    }

    /// Numbers inside, at and past the edges of the ranges, and things that are not numbers.
    mutating func number() -> String {
        pick([
            "0", "1", "2", "3", "5", "10", "20", "1000000", "1000001", "1000000000", "1000000000001",
            "1000000000000", "9223372036854775807", "9223372036854775808", "18446744073709551616",
            "-1", "+3", "1e3", "0x10", "x", "١", "",
        ])
    }

    /// A count of ticks or deliveries: small when accepted, huge when refused.
    mutating func steps() -> String {
        pick(["0", "1", "3", "20", "200", "2000", "100001", "10000001", "9223372036854775807", "-5", "many"])
    }

    mutating func link() -> String {
        let arrow = pick(["->", "->", " -> ", "-", ">", "=>"])
        return server() + arrow + pick([server(), "*"])
    }

    mutating func grammarLine() -> String {
        switch Int.random(in: 0..<32, using: &random) {
        case 0, 1: return "timeout " + (0..<Int.random(in: 0...3, using: &random)).map { _ in server() }.joined(separator: " ")
        case 2: return "heartbeat \(server())"
        case 3: return "submit \(server()) " + pick(["x=1", "y", "", "a b  c", "#c", "é"])
        case 4, 5, 6: return "deliver " + pick([link(), link() + " " + pick(["all", number(), "nth " + number()]), "all", "*->*"])
        case 7: return "drop " + pick([link(), "all", link() + " " + number()])
        case 8: return "duplicate \(link())" + pick(["", " nth " + number()])
        case 9, 10: return "settle" + pick(["", " " + steps()])
        case 11: return "partition " + pick(["s1 s2 | s3 s4 s5", "s1 | s2 | s3 | s4 | s5", "\(server()) | \(server())", "| s1", "s1 |", "s1 s1 | s2"])
        case 12: return "isolate \(server())"
        case 13: return "heal" + pick(["", " s1"])
        case 14: return "crash \(server())"
        case 15: return "restart \(server())"
        case 16, 17: return "tick" + pick(["", " " + steps(), " until leader", " until leader max " + steps(), " until", " until leader max"])
        case 18: return "cluster " + pick(["1", "2", "3", "5", "7", "0", "1001", number(), "a b c", "no x y", "x é", "s1 s1", "safe up", "A b.c d-e f_g"])
        case 19: return "set \(server()) term \(number())"
        case 20: return "set \(server()) log " + (0..<Int.random(in: 0...4, using: &random)).map { _ in pick(["1", "2", "3", "1:x", "2:", "x", number()]) }.joined(separator: " ")
        case 21: return "set \(server()) " + pick(["voted \(server())", "voted none", "commit \(number())", "bogus 1"])
        case 22: return "set " + pick([
            "seed \(number())", "election-timeout \(number()) \(number())", "heartbeat-interval \(number())",
            "latency \(number()) \(number())", "loss " + pick(["0", "0.5", "1", "2", "nan", "-0"]),
            "noop " + pick(["on", "off", "maybe"]), "prevote off", "checkquorum on", "trace " + pick(["on", "off"]),
            "unsafe " + pick(["vote-twice", "commit-old-terms", "bogus"]) + " " + pick(["on", "off"]),
        ])
        case 23: return "show" + pick(["", " log", " net", " " + server()])
        case 24: return "help" + pick(["", " tick", " numbers", " bogus", " undo"])
        case 25: return "echo " + pick(["hello", "", "# not a comment?", "\u{1B}[31mred"])
        case 26, 27, 28: return "expect " + assertion()
        case 29: return pick(["", "   ", "# comment", "#!/usr/bin/env raftsh", "\t"])
        case 30: return "source " + pick(["/nonexistent", "/", "/dev/null", "missing.raftscript"])
        default: return pick(["undo", "save x", "quit", "frobnicate", "TIMEOUT s1", "Deliver ALL"])
        }
    }

    mutating func assertion() -> String {
        pick([
            "\(server()) " + pick(["leader", "follower", "candidate", "down", "up", "precandidate"]),
            "\(server()) term \(number())", "\(server()) voted " + pick([server(), "none"]),
            "\(server()) log " + pick(["empty", "1", "1 1 2", "1:x", number()]), "\(server()) commit \(number())",
            "\(server()) votes \(number())", "leader \(server())", "leaders \(number())", "no leader",
            "pending \(number())", "pending \(link()) \(number())", "safe", "", "not safe",
        ])
    }

    /// A shell command; a saved file goes into `saveFolder` (a folder that does
    /// not exist when there is none), never where the tests happen to run.
    mutating func shellLine(saveFolder: String?) -> String {
        let file = (saveFolder ?? "/nonexistent-folder") + "/" + pick(["a.raftscript", "b.raftscript", ""])
        return pick(["undo", "undo 2", "undo 0", "undo x", "save \(file)", "save! \(file)", "save --force \(file)", "save", "quit now"])
    }

    // MARK: Mutations

    mutating func mutate(_ line: String) -> String {
        var characters = Array(line)
        if chance(0.002) { return line + " " + String(repeating: pick(["y", "é", "\u{0}"]), count: 70_000) }
        switch Int.random(in: 0..<6, using: &random) {
        case 0 where !characters.isEmpty:
            characters.remove(at: Int.random(in: 0..<characters.count, using: &random))
        case 1:
            let odd: [Character] = ["\r", "\t", "\u{0}", "\u{FEFF}", "\u{200B}", "#", "|", "-", ">", "*", "9", "é", "\u{7F}", " ", ":", "\u{FFFD}"]
            characters.insert(pick(odd), at: Int.random(in: 0...characters.count, using: &random))
        case 2 where !characters.isEmpty:
            characters[Int.random(in: 0..<characters.count, using: &random)] = pick(["0", "x", "\u{0}", "-", "\r"])
        case 3:
            var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if words.count > 1 {
                words.swapAt(Int.random(in: 0..<words.count, using: &random), Int.random(in: 0..<words.count, using: &random))
            }
            return words.joined(separator: " ")
        case 4:
            characters = Array(characters.prefix(Int.random(in: 0...characters.count, using: &random)))
        default:
            return line + " " + pick([number(), server(), "extra", "->", "|"])
        }
        return String(characters)
    }
}
