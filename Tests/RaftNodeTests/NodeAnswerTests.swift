import RaftCluster
import RaftCore
import Testing

@testable import RaftNode

/// Reading answers: the state and messages raftsh relies on, checked, and the
/// program's own fields kept verbatim.
@Suite(.timeLimit(.minutes(3)))
struct NodeAnswerTests {
    var context = ProgramContext(names: ["s1", "s2", "s3"], configuration: Configuration())

    func fresh(_ index: Int = 0) -> ProgramServer {
        ProgramServer(server: Server(id: ServerID(index), clusterSize: 3), state: ProgramState())
    }

    func apply(_ text: String, to server: inout ProgramServer) throws -> Output {
        var context = context
        return try apply(text, to: &server, in: &context)
    }

    func apply(_ text: String, to server: inout ProgramServer, in context: inout ProgramContext) throws -> Output {
        var output = Output(recordsNotes: true)
        let answer = try JSONParser.parse(text)
        try NodeAnswer(names: context.names, server: server.server.id).apply(answer, to: &server, in: &context, into: &output)
        return output
    }

    func reason(_ text: String) -> String? {
        var server = fresh()
        do {
            _ = try apply(text, to: &server)
            return nil
        } catch let invalid as NodeAnswer.Invalid {
            return invalid.reason
        } catch {
            return "\(error)"
        }
    }

    @Test func aCandidatesAnswerBecomesItsStateAndItsMessages() throws {
        var server = fresh()
        var context = context
        let output = try apply(#"""
            {"state":{"role":"candidate","term":1,"votedFor":"s1","log":[{"term":1,"value":"x"},{"term":1,"value":null}],
              "commitIndex":0,"votes":["s1"],"lastHeard":{"s2":3}},
             "send":[{"to":"s2","type":"RequestVote","term":1,"candidate":"s1","lastLogIndex":2,"lastLogTerm":1,"hint":[1]}],
             "resetTimer":true,"notes":["starts an election"]}
            """#, to: &server, in: &context)
        #expect(server.server.role == .candidate(votes: ServerSet([ServerID(0)])))
        #expect(server.server.currentTerm == 1)
        #expect(server.server.votedFor == ServerID(0))
        #expect(server.server.log == Log([LogEntry(term: 1, value: "x"), LogEntry(term: 1)]))
        #expect(server.state.reportsVotes)
        #expect(server.state.own == OwnFields([.init(name: "lastHeard", json: #"{"s2":3}"#)]))
        #expect(output.messages.count == 1)
        let sent = output.messages[0]
        #expect(sent.to == ServerID(1))
        #expect(sent.message == .requestVote(RequestVote(term: 1, candidate: ServerID(0), lastLogIndex: 2, lastLogTerm: 1)))
        #expect(context.ownFields[sent.ownFields] == OwnFields([.init(name: "hint", json: "[1]")]))
        #expect(output.resetsElectionTimer)
        #expect(output.notes == [.remark("starts an election")])
    }

    @Test func aLeadersProgressIsReadPerPeer() throws {
        var server = fresh()
        _ = try apply(#"""
            {"state":{"role":"leader","term":2,"votedFor":"s1","log":[],"commitIndex":0,
              "nextIndex":{"s2":1,"s3":1},"matchIndex":{"s2":0,"s3":0}}}
            """#, to: &server)
        guard case .leader(let leadership) = server.server.role else {
            Issue.record("not a leader")
            return
        }
        #expect(leadership.progress[1] == Leadership.Progress(nextIndex: 1, matchIndex: 0))
        #expect(server.state.reportsProgress)
        #expect(!server.state.reportsVotes)
    }

    @Test func whatIsWrongIsSaidInOnePhrase() {
        let state = #""role":"follower","term":0,"votedFor":null,"log":[]"#
        #expect(reason("[]") == "the answer is an array, not an object")
        #expect(reason(#"{"error":"no"}"#) == "the node reports an error: no")
        #expect(reason(#"{"send":[]}"#) == "the answer has no \"state\"")
        #expect(reason(#"{"state":{\#(state)}}"#) == "state has no \"commitIndex\"")
        #expect(reason(#"{"state":{\#(state),"commitIndex":"0"}}"#) == "state.commitIndex is \"0\", not an integer ≥ 0")
        #expect(reason(#"{"state":{\#(state),"commitIndex":1}}"#) == "commitIndex 1 is beyond the log's 0 entries")
        #expect(reason(#"{"state":{"role":"boss","term":0,"votedFor":null,"log":[],"commitIndex":0}}"#)?.hasPrefix("unknown role \"boss\"") == true)
        #expect(reason(#"{"state":{\#(state),"commitIndex":0,"votedFor":"s9"}}"#) == "state.votedFor is \"s9\", which is not a server of the cluster")
        let ok = #"{"state":{\#(state),"commitIndex":0},"send":"#
        #expect(reason(ok + #"[{"to":"s1","type":"RequestVoteResponse","term":0,"granted":true}]}"#) == "send[0] is addressed to the server itself")
        #expect(reason(ok + #"[{"to":"s2","type":"Gossip"}]}"#)?.hasPrefix("send[0] has unknown type \"Gossip\"") == true)
        #expect(reason(ok + #"[{"to":"s2","type":"RequestVoteResponse","term":0}]}"#) == "send[0] (RequestVoteResponse) has no \"granted\"")
        #expect(reason(ok + #"[{"type":"RequestVoteResponse","term":0,"granted":true}]}"#) == "send[0] has no \"to\"")
        #expect(reason(#"{"state":{\#(state),"commitIndex":0},"resetTimer":1}"#) == "\"resetTimer\" is a number, not a boolean")
    }

    @Test func aTermThatGoesDownIsNotAProtocolError() throws {
        var server = fresh()
        _ = try apply(#"{"state":{"role":"follower","term":5,"votedFor":null,"log":[],"commitIndex":0}}"#, to: &server)
        _ = try apply(#"{"state":{"role":"follower","term":4,"votedFor":null,"log":[],"commitIndex":0}}"#, to: &server)
        #expect(server.server.currentTerm == 4)
    }

    @Test func requestsCarryTheStateTheProgramReportedAndItsOwnFields() throws {
        var server = fresh(1)
        _ = try apply(#"{"state":{"role":"follower","term":3,"votedFor":"s3","log":[{"term":2,"value":"v"}],"commitIndex":1,"z":true,"a":{"k":[]}}}"#, to: &server)
        var writer = JSONWriter()
        var kept = KeptText()
        NodeRequest(context: context).step(.event(.heartbeatTimeout), of: server, kept: &kept, into: &writer)
        let request = try JSONParser.parse(writer.bytes)
        #expect(request["server"] == .string("s2"))
        #expect(request["servers"] == .array([.string("s1"), .string("s2"), .string("s3")]))
        #expect(request["event"] == .object([JSON.Member("type", .string("heartbeat"))]))
        #expect(JSONWriter.text(request["state"]!) == #"{"a":{"k":[]},"commitIndex":1,"log":[{"term":2,"value":"v"}],"role":"follower","term":3,"votedFor":"s3","z":true}"#)
    }
}

/// A program whose every answer makes the server LEADER of term 1: the
/// cluster's count of live leaders follows what a program says, at creation
/// and at a restart too.
@Suite(.timeLimit(.minutes(3)))
struct ProgramRoleCountTests {
    final class AlwaysLeader: ServerProgram {
        var description: String { "always leader" }
        var features: Set<String> { [] }
        func step(_ step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, into output: inout Output) {
            let old = server.server
            let progress = (0..<old.clusterSize).map { _ in Leadership.Progress(nextIndex: 1, matchIndex: 0) }
            server.server = Server(
                id: old.id, clusterSize: old.clusterSize, configuration: old.configuration, currentTerm: 1,
                votedFor: old.id, log: Log(), role: .leader(Leadership(progress: progress, votes: ServerSet([old.id]))), commitIndex: 0
            )
        }
        func another() -> any ServerProgram { AlwaysLeader() }
        func stop() {}
    }

    @Test func theLiveLeaderCountFollowsWhatTheProgramSays() throws {
        var cluster = try Cluster(size: 3, implementation: .program(AlwaysLeader()))
        #expect(cluster.liveLeaderCount == 3)
        var trace = Trace(recording: false)
        try cluster.crash(ServerID(0), trace: &trace)
        #expect(cluster.liveLeaderCount == 2)
        try cluster.restart(ServerID(0))
        #expect(cluster.liveLeaderCount == 3)
        #expect(cluster.liveLeaderCount == cluster.liveLeaders.count)
        #expect(!cluster.safety.isSafe)  // three leaders of term 1
    }
}
