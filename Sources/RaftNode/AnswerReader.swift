import Glibc
import RaftCluster
import RaftCore

/// Reads the usual answer to a step straight from its bytes: no JSON tree, no
/// path text that only an error message would need, and the log raftsh holds
/// kept as it is where the program left it unchanged (most steps change no
/// entry, or add one at the end).
///
/// It is the fast path of `NodeAnswer`, not a second judge: whatever is out of
/// the ordinary (an `error` answer, a field missing, of another type or given
/// twice, a number with a fraction or a sign, an unknown role or message type, a
/// message field it does not read itself) makes it give up, having changed
/// nothing, and `NodeAnswer` reads the line in full and says what is wrong. The
/// two agree on every answer this one reads (`AnswerReaderTests`).
struct AnswerReader {
    /// The answer is out of the ordinary: read it the general way.
    struct Unusual: Error {}

    let names: [String]
    let server: ServerID
    let recordsNotes: Bool
    /// The text of the request: the names, and the log as sent (a program
    /// that kept its entries writes the same bytes for them).
    private let kept: KeptText
    /// The line, for `JSONParser` to read what is rare here (escapes, a program's own fields).
    private let line: [UInt8]
    /// The same bytes, read in place: the line outlives the reader.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    /// What the answer says, applied only once all of it has been read.
    private struct Reading {
        var server: ProgramServer
        var messages: [Envelope] = []
        var ownFields: [OwnFields] = []
        var resetsTimer = false
        var refusal: String?
        var notes: [String] = []
    }

    private init(
        _ line: [UInt8], bytes: UnsafeBufferPointer<UInt8>, names: [String], kept: KeptText, server: ServerID, recordsNotes: Bool
    ) {
        self.line = line
        self.kept = kept
        self.bytes = bytes
        self.names = names
        self.server = server
        self.recordsNotes = recordsNotes
    }

    /// Applies the answer as `NodeAnswer.apply` would; false, with nothing
    /// changed, when it is out of the ordinary. `kept` holds the text of the
    /// request it answers; without it, the server's log is read entry by entry.
    static func apply(
        _ line: [UInt8], names: [String], kept: KeptText = KeptText(), to programServer: inout ProgramServer, in context: inout ProgramContext,
        into output: inout Output
    ) -> Bool {
        var kept = kept
        kept.use(names)
        let read = line.withUnsafeBufferPointer { bytes -> Reading? in
            var reader = AnswerReader(
                line, bytes: bytes, names: names, kept: kept, server: programServer.server.id, recordsNotes: output.recordsNotes
            )
            return try? reader.answer(previous: programServer)
        }
        guard let reading = read else { return false }
        programServer = reading.server
        for (index, var envelope) in reading.messages.enumerated() {
            envelope.ownFields = context.ownFields.key(for: reading.ownFields[index])
            output.messages.append(envelope)
        }
        if reading.resetsTimer { output.resetsElectionTimer = true }
        if let refusal = reading.refusal { context.refusal = refusal }
        for note in reading.notes { output.note(.remark(note)) }
        return true
    }

    // MARK: - The answer

    private mutating func answer(previous: ProgramServer) throws(Unusual) -> Reading {
        skipWhiteSpace()
        var reading = Reading(server: previous)
        var seen = Seen()
        var hasState = false
        guard try enterObject() else { throw Unusual() }
        repeat {
            let key = try key()
            if matches(key, "state") {
                try seen.once(0)
                reading.server = try state(previous: previous)
                hasState = true
            } else if matches(key, "send") {
                try seen.once(1)
                guard !null() else { continue }
                guard try enterArray() else { continue }
                repeat {
                    let (envelope, own) = try message()
                    reading.messages.append(envelope)
                    reading.ownFields.append(own)
                } while try nextItem()
            } else if matches(key, "resetTimer") {
                try seen.once(2)
                reading.resetsTimer = try optionalBool() ?? false
            } else if matches(key, "refused") {
                try seen.once(3)
                if !null() { reading.refusal = try string() }
            } else if matches(key, "notes") {
                try seen.once(4)
                guard !null() else { continue }
                guard try enterArray() else { continue }
                repeat {
                    if recordsNotes {
                        reading.notes.append(try string())
                    } else {
                        try skipString()
                    }
                } while try nextItem()
            } else if matches(key, "error") {
                throw Unusual()
            } else {
                try skipValue(depth: 1)
            }
        } while try nextMember()
        skipWhiteSpace()
        guard hasState, position == bytes.count else { throw Unusual() }
        return reading
    }

    // MARK: - STATE

    private mutating func state(previous: ProgramServer) throws(Unusual) -> ProgramServer {
        var role: RoleKind?, term: Int?, votedFor: ServerID??, log: Log?, commitIndex: Int?
        var votes: ServerSet?
        var nextIndex: [Int?]?, matchIndex: [Int?]?
        var programState = ProgramState()
        var own: [OwnFields.Field] = []
        /// Whether every field of the program's own is one held before, unchanged.
        var ownRepeated = true
        var seen = Seen()
        guard try enterObject() else { throw Unusual() }
        repeat {
            let key = try key()
            if matches(key, "role") {
                try seen.once(0)
                role = try roleName()
            } else if matches(key, "term") {
                try seen.once(1)
                term = try natural()
            } else if matches(key, "votedFor") {
                try seen.once(2)
                votedFor = .some(null() ? nil : try serverName())
            } else if matches(key, "log") {
                try seen.once(3)
                log = try self.log(previous: previous.server.log)
            } else if matches(key, "commitIndex") {
                try seen.once(4)
                commitIndex = try natural()
            } else if matches(key, "votes") {
                try seen.once(5)
                guard !null() else { continue }
                var set = ServerSet()
                if try enterArray() {
                    repeat { set.insert(try serverName()) } while try nextItem()
                }
                votes = set
            } else if matches(key, "nextIndex") {
                try seen.once(6)
                nextIndex = null() ? nil : try perPeer()
            } else if matches(key, "matchIndex") {
                try seen.once(7)
                matchIndex = null() ? nil : try perPeer()
            } else if matches(key, "transferTo") {
                try seen.once(8)
                programState.reportsTransfer = true
                programState.transferTo = null() ? nil : try serverName()
            } else {
                let (field, repeated) = try ownField(key, previous: previous.state.own, besides: own)
                own.append(field)
                ownRepeated = ownRepeated && repeated
            }
        } while try nextMember()
        guard let role, let term, let votedFor, let log, let commitIndex, commitIndex <= log.lastIndex else { throw Unusual() }
        programState.reportsVotes = votes != nil
        let serverRole: Role
        switch role {
        case .follower:
            serverRole = .follower
        case .precandidate:
            serverRole = .precandidate(votes: votes ?? ServerSet())
        case .candidate:
            serverRole = .candidate(votes: votes ?? ServerSet())
        case .leader:
            programState.reportsProgress = nextIndex != nil && matchIndex != nil
            serverRole = .leader(NodeAnswer.leadership(
                of: server, among: names.count, lastIndex: log.lastIndex, nextIndex: nextIndex, matchIndex: matchIndex, votes: votes ?? ServerSet()
            ))
        }
        if own.isEmpty {
            programState.own = OwnFields()
        } else if ownRepeated, own.count == previous.state.own.fields.count {
            programState.own = previous.state.own
        } else {
            programState.own = OwnFields(own)
        }
        let old = previous.server
        return ProgramServer(
            server: Server(
                id: old.id, clusterSize: old.clusterSize, configuration: old.configuration, currentTerm: term,
                votedFor: votedFor, log: log, role: serverRole, commitIndex: commitIndex
            ),
            state: programState
        )
    }

    /// A field of the program's own in STATE, and whether it is the one held
    /// before: a program that left it unchanged writes its canonical text (as
    /// the request carried it), so those bytes are taken without reading them
    /// into a value and writing it again.
    private mutating func ownField(
        _ key: Range<Int>, previous: OwnFields, besides own: [OwnFields.Field]
    ) throws(Unusual) -> (OwnFields.Field, repeated: Bool) {
        for field in previous.fields where matches(key, text: field.name) {
            if !own.contains(where: { $0.name == field.name }), repeats(field.json) { return (field, true) }
            break
        }
        guard let name = text(key), !own.contains(where: { $0.name == name }) else { throw Unusual() }
        let value = try anyValue(depth: 2)
        return (OwnFields.Field(name: name, json: JSONWriter.text(value)), false)
    }

    /// Past `json` when the bytes at the cursor are that text and a value ends
    /// there (`3` is not the start of `35`).
    private mutating func repeats(_ json: String) -> Bool {
        var json = json
        let end = position + json.utf8.count
        guard end < bytes.count else { return false }
        switch bytes[end] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09: break
        default: return false
        }
        guard json.withUTF8({ memcmp(bytes.baseAddress! + position, $0.baseAddress!, $0.count) == 0 }) else { return false }
        position = end
        return true
    }

    private mutating func roleName() throws(Unusual) -> RoleKind {
        let text = try plainString()
        if matches(text, "follower") { return .follower }
        if matches(text, "precandidate") { return .precandidate }
        if matches(text, "candidate") { return .candidate }
        if matches(text, "leader") { return .leader }
        throw Unusual()
    }

    /// An object from server name to an integer ≥ 0, by server index.
    private mutating func perPeer() throws(Unusual) -> [Int?] {
        var result = [Int?](repeating: nil, count: names.count)
        guard try enterObject() else { return result }
        repeat {
            let key = try key()
            guard let index = serverIndex(key), result[index] == nil else { throw Unusual() }
            result[index] = try natural()
        } while try nextMember()
        return result
    }

    /// The log, starting from the one raftsh holds: an entry the program left
    /// as it was is not made again, so an unchanged log stays the same storage.
    /// The entries sent, when the answer repeats their text byte for byte (as
    /// a program that kept them writes it), are passed over in one comparison.
    private mutating func log(previous: Log) throws(Unusual) -> Log {
        var log = previous
        var count = 0
        if try enterArray() {
            if sentLogRepeated(kept.entriesText(of: server)) {
                count = previous.lastIndex
                guard try nextItem() else { return log }
            }
            repeat {
                let (term, value) = try entry(depth: 3)
                count += 1
                if count <= log.lastIndex {
                    let old = log[count]
                    if old.term == term, value.equals(old.value, in: self) { continue }
                    log.truncate(from: count)
                }
                log.append(LogEntry(term: term, value: try value.text(in: self)))
            } while try nextItem()
        }
        if count < log.lastIndex { log.truncate(from: count + 1) }
        return log
    }

    /// Past the text of the entries sent, if the answer's log starts with it.
    /// Whole entries end with their `}`, so the same bytes are the same entries.
    private mutating func sentLogRepeated(_ sentLog: [UInt8]) -> Bool {
        let length = sentLog.count
        guard length > 0, position + length <= bytes.count else { return false }
        let same = sentLog.withUnsafeBufferPointer { sent in
            memcmp(bytes.baseAddress! + position, sent.baseAddress!, length) == 0
        }
        if same { position += length }
        return same
    }

    /// A log entry's value: text still in the line, text with escapes already decoded, or none.
    private enum EntryValue {
        case none
        case bytes(Range<Int>)
        case decoded(String)

        func equals(_ text: String, in reader: AnswerReader) -> Bool {
            switch self {
            case .none: text.isEmpty
            case .bytes(let range): reader.matches(range, text: text)
            case .decoded(let decoded): text == decoded
            }
        }

        func text(in reader: AnswerReader) throws(Unusual) -> String {
            switch self {
            case .none: return ""
            case .bytes(let range):
                guard let text = reader.text(range) else { throw Unusual() }
                return text
            case .decoded(let text): return text
            }
        }
    }

    /// `{"term":T,"value":V}`; other keys are passed over, as `NodeAnswer` does.
    private mutating func entry(depth: Int) throws(Unusual) -> (term: Int, value: EntryValue) {
        var term: Int?
        var value = EntryValue.none
        var seen = Seen()
        guard try enterObject() else { throw Unusual() }
        repeat {
            let key = try key()
            if matches(key, "term") {
                try seen.once(0)
                term = try natural()
            } else if matches(key, "value") {
                try seen.once(1)
                if null() {
                    value = .none
                } else if let range = try plainStringOrNil() {
                    value = .bytes(range)
                } else {
                    value = .decoded(try string())
                }
            } else {
                try skipValue(depth: depth + 1)
            }
        } while try nextMember()
        guard let term else { throw Unusual() }
        return (term, value)
    }

    // MARK: - MESSAGE

    /// The message fields read here, one bit each, and the ones each type has besides `to` and `type`.
    private enum Field: Int {
        case term, candidate, lastLogIndex, lastLogTerm, granted, leader, prevLogIndex, prevLogTerm, entries, leaderCommit, success, matchIndex, transfer

        var bit: UInt32 { 1 << UInt32(rawValue) }

        static func bits(_ fields: Field...) -> UInt32 { fields.reduce(0) { $0 | $1.bit } }
    }

    private mutating func message() throws(Unusual) -> (Envelope, OwnFields) {
        var to: ServerID?, type: Range<Int>?
        var numbers = [Int](repeating: 0, count: 12)
        var flag = false
        var candidateOrLeader = ServerID(0)
        var entries: [LogEntry] = []
        var fields: UInt32 = 0
        var others: [(key: Range<Int>, value: JSON)] = []
        var seen = Seen()
        guard try enterObject() else { throw Unusual() }
        repeat {
            let key = try key()
            if matches(key, "to") {
                try seen.once(30)
                to = try serverName()
                continue
            }
            if matches(key, "type") {
                try seen.once(31)
                type = try plainString()
                continue
            }
            guard let field = field(key) else {
                others.append((key, try anyValue(depth: 3)))
                continue
            }
            try seen.once(field.rawValue)
            fields |= field.bit
            switch field {
            case .candidate, .leader: candidateOrLeader = try serverName()
            case .granted, .success, .transfer: flag = try bool()
            case .entries:
                if try enterArray() {
                    repeat {
                        let (term, value) = try entry(depth: 4)
                        entries.append(LogEntry(term: term, value: try value.text(in: self)))
                    } while try nextItem()
                }
            default: numbers[field.rawValue] = try natural()
            }
        } while try nextMember()
        guard let to, to != server, let type else { throw Unusual() }
        let number = { (field: Field) in numbers[field.rawValue] }
        let body: Message
        let typeName: String
        let vote = Field.bits(.term, .candidate, .lastLogIndex, .lastLogTerm)
        if matches(type, "RequestVote"), fields == vote || fields == vote | Field.transfer.bit {
            typeName = "RequestVote"
            body = .requestVote(RequestVote(
                term: number(.term), candidate: candidateOrLeader, lastLogIndex: number(.lastLogIndex), lastLogTerm: number(.lastLogTerm),
                transfer: fields & Field.transfer.bit != 0 && flag
            ))
        } else if matches(type, "PreVote"), fields == vote {
            typeName = "PreVote"
            body = .preVote(PreVote(
                term: number(.term), candidate: candidateOrLeader, lastLogIndex: number(.lastLogIndex), lastLogTerm: number(.lastLogTerm)
            ))
        } else if matches(type, "PreVoteResponse"), fields == Field.bits(.term, .granted) {
            typeName = "PreVoteResponse"
            body = .preVoteResponse(PreVoteResponse(term: number(.term), granted: flag))
        } else if matches(type, "TimeoutNow"), fields == Field.bits(.term) {
            typeName = "TimeoutNow"
            body = .timeoutNow(TimeoutNow(term: number(.term)))
        } else if matches(type, "RequestVoteResponse"), fields == Field.bits(.term, .granted) {
            typeName = "RequestVoteResponse"
            body = .requestVoteResponse(RequestVoteResponse(term: number(.term), granted: flag))
        } else if matches(type, "AppendEntries"), fields == Field.bits(.term, .leader, .prevLogIndex, .prevLogTerm, .entries, .leaderCommit) {
            typeName = "AppendEntries"
            body = .appendEntries(AppendEntries(
                term: number(.term), leader: candidateOrLeader, prevLogIndex: number(.prevLogIndex), prevLogTerm: number(.prevLogTerm),
                entries: LogEntries(entries), leaderCommit: number(.leaderCommit)
            ))
        } else if matches(type, "AppendEntriesResponse"), fields == Field.bits(.term, .success, .matchIndex) {
            typeName = "AppendEntriesResponse"
            body = .appendEntriesResponse(AppendEntriesResponse(term: number(.term), success: flag, matchIndex: number(.matchIndex)))
        } else {
            throw Unusual()
        }
        guard !others.isEmpty else { return (Envelope(from: server, to: to, message: body), OwnFields()) }
        // A field this reader does not take itself is the program's own, unless
        // the general reader knows it for this type (then it is read there).
        let known = NodeAnswer.messageFields[typeName] ?? []
        var own: [OwnFields.Field] = []
        for other in others {
            guard let name = text(other.key), !known.contains(name),
                !own.contains(where: { $0.name == name })
            else { throw Unusual() }
            own.append(OwnFields.Field(name: name, json: JSONWriter.text(other.value)))
        }
        return (Envelope(from: server, to: to, message: body), OwnFields(own))
    }

    private func field(_ key: Range<Int>) -> Field? {
        switch key.count {
        case 4: if matches(key, "term") { return .term }
        case 6: if matches(key, "leader") { return .leader }
        case 8: if matches(key, "transfer") { return .transfer }
        case 7:
            if matches(key, "granted") { return .granted }
            if matches(key, "entries") { return .entries }
            if matches(key, "success") { return .success }
        case 9: if matches(key, "candidate") { return .candidate }
        case 10: if matches(key, "matchIndex") { return .matchIndex }
        case 11:
            if matches(key, "lastLogTerm") { return .lastLogTerm }
            if matches(key, "prevLogTerm") { return .prevLogTerm }
        case 12:
            if matches(key, "lastLogIndex") { return .lastLogIndex }
            if matches(key, "prevLogIndex") { return .prevLogIndex }
            if matches(key, "leaderCommit") { return .leaderCommit }
        default: break
        }
        return nil
    }

    // MARK: - Tokens

    /// Keys met in one object, to give up on one given twice (the general reader keeps the last).
    private struct Seen {
        var bits: UInt64 = 0

        mutating func once(_ bit: Int) throws(Unusual) {
            guard bits & (1 << UInt64(bit)) == 0 else { throw Unusual() }
            bits |= 1 << UInt64(bit)
        }
    }

    @inline(__always)
    private var current: UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    @inline(__always)
    private mutating func skipWhiteSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    private func matches(_ range: Range<Int>, _ word: StaticString) -> Bool {
        range.count == word.utf8CodeUnitCount && memcmp(bytes.baseAddress! + range.lowerBound, word.utf8Start, range.count) == 0
    }

    fileprivate func matches(_ range: Range<Int>, text: String) -> Bool {
        guard text.utf8.count == range.count else { return false }
        var position = range.lowerBound
        for byte in text.utf8 {
            guard bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    /// The bytes as text, nil if they are not UTF-8.
    fileprivate func text(_ range: Range<Int>) -> String? {
        String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private func serverIndex(_ range: Range<Int>) -> Int? {
        kept.serverIndex(of: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// A value of any kind, read by `JSONParser` (`depth` is how deeply it is nested).
    private mutating func anyValue(depth: Int) throws(Unusual) -> JSON {
        var parser = JSONParser(line)
        parser.position = position
        parser.depth = depth
        guard let value = try? parser.value() else { throw Unusual() }
        position = parser.position
        return value
    }

    @inline(__always)
    private mutating func byte(_ expected: UInt8) throws(Unusual) {
        guard position < bytes.count, bytes[position] == expected else { throw Unusual() }
        position += 1
        skipWhiteSpace()
    }

    /// Past `{`: true when a key follows, false past an empty object's `}`.
    @inline(__always)
    private mutating func enterObject() throws(Unusual) -> Bool {
        try enter(UInt8(ascii: "{"), closedBy: UInt8(ascii: "}"))
    }

    /// Past `[`: true when an item follows, false past an empty array's `]`.
    @inline(__always)
    private mutating func enterArray() throws(Unusual) -> Bool {
        try enter(UInt8(ascii: "["), closedBy: UInt8(ascii: "]"))
    }

    @inline(__always)
    private mutating func enter(_ open: UInt8, closedBy close: UInt8) throws(Unusual) -> Bool {
        try byte(open)
        guard current == close else { return true }
        try byte(close)
        return false
    }

    /// After a member's value: true past a `,`, false past the closing `}`.
    @inline(__always)
    private mutating func nextMember() throws(Unusual) -> Bool {
        try next(closedBy: UInt8(ascii: "}"))
    }

    /// After an item: true past a `,`, false past the closing `]`.
    @inline(__always)
    private mutating func nextItem() throws(Unusual) -> Bool {
        try next(closedBy: UInt8(ascii: "]"))
    }

    @inline(__always)
    private mutating func next(closedBy close: UInt8) throws(Unusual) -> Bool {
        skipWhiteSpace()
        if current == UInt8(ascii: ",") {
            try byte(UInt8(ascii: ","))
            return true
        }
        try byte(close)
        return false
    }

    /// A key without escapes, and its colon.
    @inline(__always)
    private mutating func key() throws(Unusual) -> Range<Int> {
        let range = try plainString()
        skipWhiteSpace()
        try byte(UInt8(ascii: ":"))
        return range
    }

    /// A string without escapes, as the range of its bytes; gives up on any other value.
    private mutating func plainString() throws(Unusual) -> Range<Int> {
        guard let range = try plainStringOrNil() else { throw Unusual() }
        return range
    }

    /// A string's bytes when it has no escapes; nil, the cursor unmoved, when it has.
    private mutating func plainStringOrNil() throws(Unusual) -> Range<Int>? {
        guard current == UInt8(ascii: "\"") else { throw Unusual() }
        let start = position + 1, base = bytes.baseAddress!
        var end = start
        while end < bytes.count {
            let byte = base[end]
            if byte == UInt8(ascii: "\"") {
                position = end + 1
                return start..<end
            }
            if byte == UInt8(ascii: "\\") { return nil }
            guard byte >= 0x20 else { throw Unusual() }
            end += 1
        }
        throw Unusual()
    }

    private mutating func string() throws(Unusual) -> String {
        if let range = try plainStringOrNil() {
            guard let text = text(range) else { throw Unusual() }
            return text
        }
        guard case .string(let text) = try anyValue(depth: 0) else { throw Unusual() }
        return text
    }

    /// A string read and checked but not kept.
    private mutating func skipString() throws(Unusual) {
        if let range = try plainStringOrNil() {
            if bytes[range].allSatisfy({ $0 < 0x80 }) { return }
            guard text(range) != nil else { throw Unusual() }
            return
        }
        _ = try string()
    }

    private mutating func serverName() throws(Unusual) -> ServerID {
        guard let index = serverIndex(try plainString()) else { throw Unusual() }
        return ServerID(index)
    }

    /// An integer ≥ 0 written plainly (no sign, fraction or exponent), as JSON allows it.
    @inline(__always)
    private mutating func natural() throws(Unusual) -> Int {
        let start = position
        var end = start, value = 0
        while end < bytes.count, bytes[end] &- UInt8(ascii: "0") < 10 {
            value = value &* 10 &+ Int(bytes[end] &- UInt8(ascii: "0"))
            end += 1
        }
        let digits = end - start
        guard digits > 0, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { throw Unusual() }
        if end < bytes.count, bytes[end] == UInt8(ascii: ".") || bytes[end] | 0x20 == UInt8(ascii: "e") { throw Unusual() }
        position = end
        return value
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count, matches(position..<(position + length), word) else { return false }
        position += length
        return true
    }

    /// True past a `null`.
    private mutating func null() -> Bool {
        current == UInt8(ascii: "n") && literal("null")
    }

    private mutating func bool() throws(Unusual) -> Bool {
        if literal("true") { return true }
        if literal("false") { return false }
        throw Unusual()
    }

    private mutating func optionalBool() throws(Unusual) -> Bool? {
        null() ? nil : try bool()
    }

    /// Any value, read in full (so checked) and dropped; `depth` is how deeply it is nested.
    private mutating func skipValue(depth: Int) throws(Unusual) {
        _ = try anyValue(depth: depth)
    }
}
