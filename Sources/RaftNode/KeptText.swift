import Glibc
import RaftCore

/// The JSON text that repeats from one step request to the next, kept between
/// them rather than written again: the servers' names, and each server's log.
/// A request carries the server's whole log (protocol section 3), but most
/// steps change no entry of it or add one at the end, so only the entries that
/// are new since the last request for that server are written.
///
/// The log's text is also what the answer is read against (`AnswerReader`): a
/// program that hands back the log it was given writes these same bytes for it.
public struct KeptText {
    /// The names the text below was made for.
    private var names: [String] = []
    /// `["s1","s2",…]`: the names as JSON strings in a JSON array.
    private var nameList: [UInt8] = []
    /// Where each name's JSON string lies in `nameList`, by server index.
    private var quotedNames: [Range<Int>] = []
    private var logs: [EncodedLog] = []

    public init() {}

    /// One server's log and its entries' text, `e1,e2,…,en` (no brackets).
    struct EncodedLog {
        var log = Log()
        var text: [UInt8] = []
        /// `ends[k - 1]`: the length of the text of the first k entries.
        var ends: [Int] = []

        /// How many entries at the start `log` shares with the one encoded.
        /// At once when `log` grew from it (a log's copies share its entries'
        /// storage, and comparing a copy of the same entries is one check), entry
        /// by entry otherwise.
        func keptEntries(of log: Log) -> Int {
            let count = self.log.lastIndex
            if log.lastIndex >= count {
                var prefix = log
                prefix.truncate(from: count + 1)
                if prefix == self.log { return count }
            }
            var kept = 0
            while kept < min(count, log.lastIndex), self.log[kept + 1] == log[kept + 1] { kept += 1 }
            return kept
        }
    }

    /// Makes the names' text when the cluster's names are not those of the last request.
    mutating func use(_ names: [String]) {
        guard names != self.names else { return }
        self.names = names
        var writer = JSONWriter()
        quotedNames = []
        writer.raw("[")
        for (index, name) in names.enumerated() {
            if index > 0 { writer.raw(",") }
            let start = writer.count
            writer.string(name)
            quotedNames.append(start..<writer.count)
        }
        writer.raw("]")
        nameList = writer.bytes
    }

    /// A server's name as a JSON string (after `use`).
    func name(_ id: ServerID, into writer: inout JSONWriter) {
        nameList.withUnsafeBufferPointer { writer.raw(bytes: UnsafeBufferPointer(rebasing: $0[quotedNames[id.index]])) }
    }

    /// The index of the server whose name is `text` (the bytes inside a JSON
    /// string without escapes), after `use`. Compared with the names' JSON
    /// strings: a name that needs escapes is never written without them.
    func serverIndex(of text: UnsafeBufferPointer<UInt8>) -> Int? {
        nameList.withUnsafeBufferPointer { list in
            var index = 0
            while index < quotedNames.count {
                let quoted = quotedNames[index]
                if quoted.count == text.count + 2, memcmp(list.baseAddress! + quoted.lowerBound + 1, text.baseAddress!, text.count) == 0 {
                    return index
                }
                index += 1
            }
            return nil
        }
    }

    /// Every server's name, in cluster order, as a JSON array (after `use`).
    func names(into writer: inout JSONWriter) {
        writer.raw(bytes: nameList)
    }

    /// The entries' text of the log last written for `server`.
    func entriesText(of server: ServerID) -> [UInt8] {
        server.index < logs.count ? logs[server.index].text : []
    }

    /// Writes `log` as a JSON array: the entries kept from the last request
    /// for `server` copied as they were, the others written anew.
    mutating func write(_ log: Log, of server: ServerID, into writer: inout JSONWriter) {
        if logs.count <= server.index {
            logs.append(contentsOf: repeatElement(EncodedLog(), count: server.index + 1 - logs.count))
        }
        let kept = logs[server.index].keptEntries(of: log)
        if kept < logs[server.index].ends.count {
            let cut = kept == 0 ? 0 : logs[server.index].ends[kept - 1]
            logs[server.index].text.removeSubrange(cut...)
            logs[server.index].ends.removeSubrange(kept...)
        }
        writer.raw("[")
        writer.raw(bytes: logs[server.index].text)
        let start = writer.count
        var index = kept + 1
        while index <= log.lastIndex {
            if index > 1 { writer.raw(",") }
            NodeRequest.entry(log[index], into: &writer)
            logs[server.index].ends.append(logs[server.index].text.count + writer.count - start)
            index += 1
        }
        logs[server.index].text.append(contentsOf: writer.written[start...])
        logs[server.index].log = log
        writer.raw("]")
    }
}
