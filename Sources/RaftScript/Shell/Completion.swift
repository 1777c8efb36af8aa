import RaftCluster
import RaftCore

/// A file or folder that file-name completion may offer.
public struct FileEntry: Hashable, Sendable {
    public var name: String
    public var isDirectory: Bool

    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

/// What TAB offers for the word before the cursor.
public struct Completion: Hashable, Sendable {
    /// The word being completed: from the last break (space, tab, `|`, `>`) to the cursor.
    public var word: String
    /// The full words that may replace `word`, in a natural order (cluster order
    /// for servers, the grammar's order for keywords).
    public var candidates: [String]
    /// Whether the candidates are file names (folders end in `/`).
    public var isFileName: Bool
    /// Whether a single full match is followed by a space: not a sender
    /// completed to `A->`, whose receiver follows at once.
    public var appendsSpace: Bool

    public init(word: String, candidates: [String], isFileName: Bool = false, appendsSpace: Bool = true) {
        self.word = word
        self.candidates = candidates
        self.isFileName = isFileName
        self.appendsSpace = appendsSpace
    }

    /// The words to hand readline: the replacement alone for one candidate, or
    /// the replacement and then every candidate (the list readline shows).
    /// Folders go without their `/`, which readline, told these are file names,
    /// adds itself, to the line and to the list.
    public var readlineMatches: [String] {
        guard let replacement else { return [] }
        let bare = { (name: String) in isFileName && name.hasSuffix("/") ? String(name.dropLast()) : name }
        guard candidates.count == 1 else { return [replacement] + candidates.map(bare) }
        return [bare(replacement)]
    }

    /// The text to put in place of `word`: the candidates' longest common prefix
    /// (compared ignoring case, as keywords are), never shorter than `word`.
    public var replacement: String? {
        guard let first = candidates.first else { return nil }
        var prefix = Array(first)
        for candidate in candidates.dropFirst() {
            let other = Array(candidate)
            var length = 0
            while length < prefix.count, length < other.count,
                  prefix[length].lowercased() == other[length].lowercased() {
                length += 1
            }
            prefix.removeLast(prefix.count - length)
        }
        return prefix.count >= word.count ? String(prefix) : word
    }
}

/// TAB completion for RaftScript and the shell's own commands: line and cursor in,
/// candidates out. It knows the grammar; it knows nothing of readline.
public struct Completer: Sendable {
    /// The cluster's servers, in cluster order.
    public var servers: [String]
    /// Servers that are down (offered after `restart`, not after `crash`).
    public var downServers: Set<String>
    /// Commands the caller adds to the language (the shell's `undo`, `save`, …).
    public var extraCommands: [String]
    /// The entries of a folder (`""` is the current folder), for file names.
    public var listFiles: @Sendable (String) -> [FileEntry]

    public init(
        servers: [String], downServers: Set<String> = [], extraCommands: [String] = [],
        listFiles: @escaping @Sendable (String) -> [FileEntry] = { _ in [] }
    ) {
        self.servers = servers
        self.downServers = downServers
        self.extraCommands = extraCommands
        self.listFiles = listFiles
    }

    public init(
        cluster: Cluster, extraCommands: [String] = [],
        listFiles: @escaping @Sendable (String) -> [FileEntry] = { _ in [] }
    ) {
        let down = cluster.ids.filter { !cluster.isUp[$0.index] }.map(cluster.name)
        self.init(servers: cluster.names, downServers: Set(down), extraCommands: extraCommands, listFiles: listFiles)
    }

    /// Characters that end a word for completion, as readline is told.
    public static let wordBreaks: Set<Character> = [" ", "\t", "|", ">"]

    /// Candidates for the word that ends at `cursor`, a UTF-8 offset into `line`
    /// (readline's `rl_point`). Only the text before the cursor matters.
    public func complete(_ line: String, cursor: Int) -> Completion {
        let utf8 = line.utf8
        let end = utf8.index(utf8.startIndex, offsetBy: max(0, min(cursor, utf8.count)))
        let before = String(line[..<end])
        var start = before.endIndex
        while start > before.startIndex {
            let previous = before.index(before: start)
            if Self.wordBreaks.contains(before[previous]) { break }
            start = previous
        }
        let word = String(before[start...])
        guard !before.contains("#") else { return Completion(word: word, candidates: []) }
        let tokens = Tokenizer.tokens(in: String(before[..<start])).map(\.text)
        return candidates(word: word, after: tokens)
    }

    private var commandNames: [String] { unique(CommandCatalog.names + extraCommands) }
    private var refs: [String] { servers + ["leader"] }
    private var upServers: [String] { servers.filter { !downServers.contains($0) } }
    private static let fields = ["term", "log", "voted", "commit"]
    private static let switches: Set<String> = ["noop", "prevote", "checkquorum", "trace"]
    private static let assertionWords = ["leader", "follower", "candidate", "precandidate", "down", "up", "term", "voted", "log", "commit", "votes"]

    private func candidates(word: String, after tokens: [String]) -> Completion {
        guard let command = tokens.first?.lowercased() else {
            return offer(word, keywords: commandNames)
        }
        let args = Array(tokens.dropFirst())
        let lowered = args.map { $0.lowercased() }
        switch (command, args.count) {
        case ("timeout", _):
            return offer(word, names: upServers.filter { !args.contains($0) })
        case ("heartbeat", 0), ("submit", 0), ("isolate", 0), ("transfer", 0):
            return offer(word, keywords: ["leader"], names: servers)
        case ("transfer", 1):
            return offer(word, names: servers.filter { $0 != args[0] })
        case ("crash", let count):
            return offer(word, keywords: count == 0 ? ["leader"] : [], names: upServers.filter { !args.contains($0) })
        case ("restart", _):
            return offer(word, names: servers.filter { downServers.contains($0) && !args.contains($0) })
        case ("deliver", _), ("drop", _):
            return selection(word, args: args)
        case ("duplicate", _):
            return duplicate(word, args: args)
        case ("partition", _):
            return offer(word, names: servers.filter { !args.contains($0) })
        // `cut A->B`, `cut A B`, and `heal` of one link: the other end, never the first.
        case ("cut", 0), ("heal", 0):
            return offer(word, names: servers)
        case ("cut", 1), ("heal", 1):
            return offer(word, keywords: ["->"], names: servers.filter { $0 != args[0] })
        case ("cut", 2) where args[1] == "->", ("heal", 2) where args[1] == "->":
            return offer(word, names: servers.filter { $0 != args[0] })
        case ("tick", 0):
            return offer(word, keywords: ["until"])
        case ("tick", 1) where lowered[0] == "until":
            return offer(word, keywords: ["leader"])
        case ("tick", 2) where lowered[0] == "until":
            return offer(word, keywords: ["max"])
        case ("set", _):
            return set(word, args: args)
        case ("show", 0):
            return offer(word, keywords: ["log", "net", "timeline", "leader"], names: servers)
        // `expect not ASSERTION` completes as `expect ASSERTION`, `expect error COMMAND` as COMMAND.
        case ("expect", _) where lowered.first == "not":
            return candidates(word: word, after: ["expect"] + args.dropFirst())
        case ("expect", _) where lowered.first == "error":
            return candidates(word: word, after: Array(args.dropFirst()))
        case ("expect", _):
            return expect(word, args: args)
        case ("help", 0):
            return offer(word, keywords: commandNames)
        case ("source", 0), ("save", 0), ("save!", 0), ("exercise", 0), ("chart", 0):
            return files(word)
        case ("save", 1) where lowered[0] == "--force":
            return files(word)
        default:
            return Completion(word: word, candidates: [])
        }
    }

    /// A sender completed at once to `A->` (from `A`, or from `A-` as typed), so
    /// that the next TAB offers the receivers.
    private func sender(_ word: String, keywords: [String]) -> Completion {
        let senders = Set(servers + ["leader", "*"].filter(keywords.contains))
        if word.hasSuffix("-") {
            let name = String(word.dropLast())
            let sender = senders.contains(name) ? name : name.lowercased() == "leader" && senders.contains("leader") ? "leader" : nil
            return Completion(word: word, candidates: sender.map { [$0 + "->"] } ?? [], appendsSpace: false)
        }
        let offered = offer(word, keywords: keywords, names: servers)
        guard offered.candidates.count == 1, let only = offered.candidates.first, senders.contains(only) else { return offered }
        return Completion(word: word, candidates: [only + "->"], appendsSpace: false)
    }

    /// `A->B [N|all]`, `A->*`, `*->B`, `all`.
    private func selection(_ word: String, args: [String]) -> Completion {
        switch args.count {
        case 0: sender(word, keywords: ["all", "leader", "*"])
        case 1 where args[0].lowercased() != "all": offer(word, keywords: ["->"])
        case 2 where args[1] == "->": offer(word, keywords: ["leader", "*"], names: servers.filter { $0 != args[0] })
        case 3 where args[1] == "->" && args[0] != "*" && args[2] != "*": offer(word, keywords: ["all", "nth"])
        default: Completion(word: word, candidates: [])
        }
    }

    /// `duplicate A->B [nth K]`.
    private func duplicate(_ word: String, args: [String]) -> Completion {
        switch args.count {
        case 0: sender(word, keywords: ["leader"])
        case 1: offer(word, keywords: ["->"])
        case 2 where args[1] == "->": offer(word, keywords: ["leader"], names: servers.filter { $0 != args[0] })
        case 3 where args[1] == "->": offer(word, keywords: ["nth"])
        default: Completion(word: word, candidates: [])
        }
    }

    /// `set S term|log|voted|commit …`, `set OPTION VALUE`.
    private func set(_ word: String, args: [String]) -> Completion {
        let options = OptionName.allCases.map(\.rawValue)
        switch args.count {
        case 0:
            return offer(word, keywords: options + ["leader"], names: servers)
        case 1 where args[0].lowercased() == "unsafe":
            return offer(word, keywords: UnsafeVariant.allCases.map(\.rawValue))
        case 2 where args[0].lowercased() == "unsafe":
            return offer(word, keywords: ["on", "off"])
        case 1 where options.contains(args[0].lowercased()):
            return Self.switches.contains(args[0].lowercased()) ? offer(word, keywords: ["on", "off"]) : Completion(word: word, candidates: [])
        case 1:
            return offer(word, keywords: Self.fields)
        case 2 where args[1].lowercased() == "voted":
            return offer(word, keywords: ["none", "leader"], names: servers)
        default:
            return Completion(word: word, candidates: [])
        }
    }

    /// The forms of `expect`.
    private func expect(_ word: String, args: [String]) -> Completion {
        let lowered = args.map { $0.lowercased() }
        switch args.count {
        case 0:
            return offer(word, keywords: ["leader", "leaders", "no", "pending", "safe", "not", "error"], names: servers)
        case 1:
            switch lowered[0] {
            case "no": return offer(word, keywords: ["leader"])
            case "pending": return sender(word, keywords: ["leader"])
            case "leaders", "safe": return Completion(word: word, candidates: [])
            // `expect leader S`, or `leader` as the server of `expect S …`.
            case "leader": return offer(word, keywords: Self.assertionWords, names: servers)
            default: return offer(word, keywords: Self.assertionWords)
            }
        case 2 where lowered[0] == "pending":
            return offer(word, keywords: ["->"])
        case 2 where lowered[1] == "voted":
            return offer(word, keywords: ["none", "leader"], names: servers)
        case 2 where lowered[1] == "log":
            return offer(word, keywords: ["empty"])
        case 3 where lowered[0] == "pending" && args[2] == "->":
            return offer(word, keywords: ["leader"], names: servers)
        default:
            return Completion(word: word, candidates: [])
        }
    }

    /// Keywords match ignoring case, server names exactly.
    private func offer(_ word: String, keywords: [String] = [], names: [String] = []) -> Completion {
        let lowered = word.lowercased()
        let matches = keywords.filter { $0.hasPrefix(lowered) } + names.filter { $0.hasPrefix(word) }
        return Completion(word: word, candidates: unique(matches))
    }

    /// Files and folders whose names start with the word's last path component.
    private func files(_ word: String) -> Completion {
        let folder: String, stem: String
        if let slash = word.lastIndex(of: "/") {
            folder = String(word[...slash])
            stem = String(word[word.index(after: slash)...])
        } else {
            folder = ""
            stem = word
        }
        let entries = listFiles(folder)
            .filter { $0.name.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .sorted { $0.name < $1.name }
        return Completion(word: word, candidates: entries.map { folder + $0.name + ($0.isDirectory ? "/" : "") }, isFileName: true)
    }

    private func unique(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }
}
