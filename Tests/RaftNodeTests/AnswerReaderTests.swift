import RaftCluster
import RaftCore
import Testing

@testable import RaftNode

/// The fast path for answers reads the usual ones, gives up on everything
/// else, and where it reads an answer, takes from it exactly what the general
/// reader (`NodeAnswer`) takes.
@Suite(.timeLimit(.minutes(3)))
struct AnswerReaderTests {
    let names = ["s1", "s2", "s3"]

    struct Taken: Equatable {
        var server: ProgramServer
        var messages: [Envelope]
        var ownFields: [OwnFields?]
        var resetsTimer: Bool
        var refusal: String?
        var notes: [Note]
    }

    /// The server before the answer: a follower with a two-entry log, so that an answer may keep, extend or cut it.
    func before() -> ProgramServer {
        var server = ProgramServer(server: Server(id: ServerID(0), clusterSize: 3), state: ProgramState())
        var context = ProgramContext(names: names, configuration: Configuration())
        var output = Output()
        let answer = try! JSONParser.parse(#"{"state":{"role":"follower","term":1,"votedFor":null,"log":[{"term":1,"value":"a"},{"term":1,"value":"b"}],"commitIndex":0}}"#)
        try! NodeAnswer(names: names, server: ServerID(0)).apply(answer, to: &server, in: &context, into: &output)
        return server
    }

    func taken(_ server: ProgramServer, _ context: ProgramContext, _ output: Output) -> Taken {
        Taken(
            server: server, messages: Array(output.messages), ownFields: output.messages.map { context.ownFields[$0.ownFields] },
            resetsTimer: output.resetsElectionTimer, refusal: context.refusal, notes: output.notes
        )
    }

    /// What the fast path takes, nil when it gives up.
    func fast(_ text: String) -> Taken? {
        var server = before(), context = ProgramContext(names: names, configuration: Configuration()), output = Output(recordsNotes: true)
        guard AnswerReader.apply(Array(text.utf8), names: names, to: &server, in: &context, into: &output) else { return nil }
        return taken(server, context, output)
    }

    /// What the general reader takes, nil when it finds the answer wrong.
    func general(_ text: String) -> Taken? {
        var server = before(), context = ProgramContext(names: names, configuration: Configuration()), output = Output(recordsNotes: true)
        guard let answer = try? JSONParser.parse(text),
            (try? NodeAnswer(names: names, server: ServerID(0)).apply(answer, to: &server, in: &context, into: &output)) != nil
        else { return nil }
        return taken(server, context, output)
    }

    static let state = #""role":"follower","term":2,"votedFor":"s2","log":[{"term":1,"value":"a"},{"term":2,"value":"c"}],"commitIndex":1"#

    /// Answers of every usual kind, as the Python example writes them, with spaces, and in another key order.
    static let usual = [
        #"{"state":{\#(state)},"send":[],"resetTimer":false,"notes":[]}"#,
        #"{"state":{\#(state),"leaderTerm":2},"send":[{"to":"s2","type":"AppendEntriesResponse","term":2,"success":true,"matchIndex":2}],"resetTimer":true,"notes":["accepts entry 2 from s2"]}"#,
        #"{"send":[{"to":"s3","type":"RequestVoteResponse","term":2,"granted":false}],"state":{\#(state)},"notes":["\u2192 s3"]}"#,
        #" { "state" : { "role" : "candidate" , "term" : 3 , "votedFor" : "s1" , "log" : [ ] , "commitIndex" : 0 , "votes" : [ "s1" ] } , "send" : [ { "to" : "s2" , "type" : "RequestVote" , "term" : 3 , "candidate" : "s1" , "lastLogIndex" : 0 , "lastLogTerm" : 0 } ] } "#,
        #"{"state":{"role":"leader","term":3,"votedFor":"s1","log":[{"term":1,"value":"a"},{"term":1,"value":"b"},{"term":3,"value":null}],"commitIndex":2,"votes":["s1","s3"],"nextIndex":{"s2":4,"s3":3},"matchIndex":{"s2":3,"s3":0}},"send":[{"to":"s2","type":"AppendEntries","term":3,"leader":"s1","prevLogIndex":2,"prevLogTerm":1,"entries":[{"term":3,"value":null}],"leaderCommit":2}],"resetTimer":false,"notes":[]}"#,
        #"{"state":{"role":"leader","term":3,"votedFor":"s1","log":[],"commitIndex":0,"nextIndex":{"s2":1},"matchIndex":null,"transferTo":null,"own":{"b":[1,2],"a":null}},"refused":"not now"}"#,
        #"{"state":{"role":"follower","term":0,"votedFor":null,"log":[{"term":1,"value":"a"}],"commitIndex":0,"transferTo":"s3"},"send":null,"resetTimer":null,"notes":null,"extra":{"x":[1]}}"#,
        #"{"state":{"role":"follower","term":1,"votedFor":null,"log":[{"term":1,"value":"a\"b"},{"term":1,"value":"b","note":1}],"commitIndex":0}}"#,
        #"{"state":{\#(state)},"send":[{"to":"s2","type":"RequestVote","term":3,"candidate":"s1","lastLogIndex":0,"lastLogTerm":0,"hint":{"z":1,"a":2}}]}"#,
        // The election extensions (node-protocol.md section 6).
        #"{"state":{"role":"precandidate","term":2,"votedFor":null,"log":[],"commitIndex":0,"votes":["s1"]},"send":[{"to":"s2","type":"PreVote","term":3,"candidate":"s1","lastLogIndex":0,"lastLogTerm":0},{"to":"s3","type":"PreVoteResponse","term":3,"granted":true}]}"#,
        #"{"state":{\#(state)},"send":[{"to":"s2","type":"RequestVote","term":3,"candidate":"s1","lastLogIndex":2,"lastLogTerm":2,"transfer":true},{"to":"s3","type":"RequestVote","term":3,"candidate":"s1","lastLogIndex":2,"lastLogTerm":2,"transfer":false},{"to":"s3","type":"TimeoutNow","term":2}]}"#,
    ]

    @Test func theUsualAnswersAreReadAndTakenAsTheGeneralReaderTakesThem() throws {
        for text in Self.usual {
            let generally = try #require(general(text), "\(text)")
            let fastly = try #require(fast(text), "the fast path gave up on \(text)")
            #expect(fastly == generally, "\(text)")
        }
    }

    @Test func whatIsOutOfTheOrdinaryIsLeftToTheGeneralReader() {
        let unusual = [
            #"{"error":"no"}"#,
            #"{"state":{\#(Self.state),"term":3}}"#,  // a key twice: the general reader keeps the last
            #"{"state":{"role":"follower","term":1.0,"votedFor":null,"log":[],"commitIndex":0}}"#,
            #"{"state":{"role":"follower","term":-0,"votedFor":null,"log":[],"commitIndex":0}}"#,
            #"{"state":{"role":"follower","term":1,"votedFor":"s9","log":[],"commitIndex":0}}"#,
            #"{"state":{"role":"follower","term":1,"votedFor":null,"log":[],"commitIndex":1}}"#,
            #"{"state":{\#(Self.state)},"send":[{"to":"s1","type":"RequestVoteResponse","term":2,"granted":true}]}"#,
            #"{"state":{\#(Self.state)},"send":[{"to":"s2","type":"Gossip","term":2}]}"#,
            #"{"state":{\#(Self.state)},"send":[{"to":"s2","type":"RequestVoteResponse","term":2,"granted":true,"success":true}]}"#,
            #"{"state":{\#(Self.state)}} x"#,
            #"{"state":{\#(Self.state)},"s\u0065nd":[]}"#,
        ]
        for text in unusual {
            #expect(fast(text) == nil, "\(text)")
        }
        // Given up on, each is still read (or refused) by the general reader as before.
        #expect(general(unusual[1])?.server.server.currentTerm == 3)
        #expect(general(unusual[0]) == nil)
    }

    @Test func aLogIsKeptCutOrExtendedAsTheAnswerSaysAndTheOneHeldBeforeIsNotChanged() throws {
        let server = before()
        var after = server, context = ProgramContext(names: names, configuration: Configuration()), output = Output()
        let same = #"{"state":{"role":"follower","term":1,"votedFor":null,"log":[{"term":1,"value":"a"},{"term":1,"value":"b"}],"commitIndex":0}}"#
        #expect(AnswerReader.apply(Array(same.utf8), names: names, to: &after, in: &context, into: &output))
        #expect(after.server.log == server.server.log)
        let shorter = #"{"state":{"role":"follower","term":1,"votedFor":null,"log":[{"term":1,"value":"a"}],"commitIndex":0}}"#
        #expect(AnswerReader.apply(Array(shorter.utf8), names: names, to: &after, in: &context, into: &output))
        #expect(after.server.log == Log([LogEntry(term: 1, value: "a")]))
        #expect(server.server.log.lastIndex == 2, "the log held before is not changed by the answer")
    }

    /// What the fast path takes from an answer to a request written just before (so it knows the log sent).
    func fastAfterRequest(_ text: String) -> Taken? {
        var server = before(), context = ProgramContext(names: names, configuration: Configuration()), output = Output(recordsNotes: true)
        var kept = KeptText(), writer = JSONWriter()
        NodeRequest(context: context).step(.event(.heartbeatTimeout), of: server, kept: &kept, into: &writer)
        guard AnswerReader.apply(Array(text.utf8), names: names, kept: kept, to: &server, in: &context, into: &output) else { return nil }
        return taken(server, context, output)
    }

    @Test func theLogSentIsPassedOverWhenTheAnswerRepeatsItAndReadAsTheGeneralReaderReadsIt() {
        let logs = [
            #"[{"term":1,"value":"a"},{"term":1,"value":"b"}]"#,
            #"[{"term":1,"value":"a"},{"term":1,"value":"b"},{"term":2,"value":"c"}]"#,
            #"[{"term":1,"value":"a"},{"term":1,"value":"b"} , {"term":2,"value":null},{"term":2,"value":"d"}]"#,
            #"[{"term":1,"value":"a"},{"term":1,"value":"b"} ]"#,
            #"[{"term":1,"value":"a"},{"term":1,"value":"bc"}]"#,
            #"[{"term":1,"value":"a"},{"term":2,"value":"b"}]"#,
            #"[{"term":1,"value":"a"}]"#,
            #"[{"value":"a","term":1},{"term":1,"value":"b"}]"#,
            #"[]"#,
        ]
        for log in logs {
            let text = #"{"state":{"role":"follower","term":2,"votedFor":"s2","log":\#(log),"commitIndex":0},"send":[{"to":"s3","type":"AppendEntriesResponse","term":2,"success":true,"matchIndex":1}]}"#
            let fast = fastAfterRequest(text)
            #expect(fast != nil, "\(log)")
            #expect(fast == general(text), "\(log)")
        }
        // Bytes that repeat the log sent but then break off are not taken.
        #expect(fastAfterRequest(#"{"state":{"role":"follower","term":2,"votedFor":"s2","log":[{"term":1,"value":"a"},{"term":1,"value":"b"}"#) == nil)
    }

    @Test func requestsWrittenFromKeptTextAreTheSameAsOnesWrittenAfresh() {
        let context = ProgramContext(names: names, configuration: Configuration())
        func request(_ id: Int, _ log: Log, _ kept: inout KeptText) -> [UInt8] {
            let server = ProgramServer(
                server: Server(
                    id: ServerID(id), clusterSize: 3, configuration: Configuration(), currentTerm: 2, votedFor: nil, log: log, role: .follower,
                    commitIndex: 0
                ),
                state: ProgramState()
            )
            var writer = JSONWriter()
            NodeRequest(context: context).step(.event(.heartbeatTimeout), of: server, kept: &kept, into: &writer)
            return writer.bytes
        }
        var log = Log()
        var logs = [log]
        for index in 1...4 {
            log.append(LogEntry(term: 1, value: "x=\(index)"))
            logs.append(log)
        }
        var other = log
        other.truncate(from: 3)
        other.append(LogEntry(term: 2, value: "y\"é"))
        other.append(LogEntry(term: 2))
        // Grown, cut and replaced, back again, emptied, of other terms.
        logs += [other, log, Log(), log, Log(terms: [1, 1, 3])]
        var kept = KeptText()
        for (step, log) in logs.enumerated() {
            for id in [0, 1] {
                var fresh = KeptText()
                #expect(request(id, log, &kept) == request(id, log, &fresh), "step \(step), server \(id)")
            }
        }
    }
}
