import RaftCore
import Testing

@testable import RaftScript

@Suite("TAB completion", .timeLimit(.minutes(3)))
struct CompletionTests {
    static let files: [String: [FileEntry]] = [
        "": [
            FileEntry(name: "scripts", isDirectory: true),
            FileEntry(name: "saved.raftscript", isDirectory: false),
            FileEntry(name: ".hidden", isDirectory: false),
        ],
        "scripts/": [
            FileEntry(name: "rules", isDirectory: true),
            FileEntry(name: "paper", isDirectory: true),
            FileEntry(name: "readme.md", isDirectory: false),
        ],
    ]

    let completer = Completer(
        servers: ["s1", "s2", "s3", "s10"], downServers: ["s3"], extraCommands: Session.commandWords,
        listFiles: { CompletionTests.files[$0] ?? [] }
    )

    /// Candidates for the line with the cursor at its end.
    func offered(_ line: String) -> [String] {
        completer.complete(line, cursor: line.utf8.count).candidates
    }

    @Test func commandNamesAtTheStart() {
        #expect(offered("ti") == ["timeout", "tick"])
        #expect(offered("s") == ["submit", "settle", "set", "show", "source", "save", "save!"])
        #expect(offered("u") == ["undo"])
        #expect(offered("").contains("partition"))
        #expect(offered("").contains("quit"))
    }

    @Test func keywordsIgnoreCaseServerNamesDoNot() {
        #expect(offered("SH") == ["show"])
        #expect(completer.complete("SH", cursor: 2).replacement == "show")
        #expect(offered("crash S") == [])
        #expect(offered("crash s") == ["s1", "s2", "s10"])
    }

    @Test func serversWhereAServerGoes() {
        #expect(offered("timeout ") == ["s1", "s2", "s10"], "a down server has no timer")
        #expect(offered("timeout s1 ") == ["s2", "s10"], "each server once")
        #expect(offered("heartbeat ") == ["leader", "s1", "s2", "s3", "s10"])
        #expect(offered("restart ") == ["s3"], "only a down server restarts")
        #expect(offered("crash ") == ["leader", "s1", "s2", "s10"])
        #expect(offered("partition s1 s2 | ") == ["s3", "s10"])
        #expect(offered("partition s1|s") == ["s2", "s3", "s10"])
    }

    @Test func eitherSideOfTheArrow() {
        #expect(offered("deliver ") == ["all", "leader", "*", "s1", "s2", "s3", "s10"])
        #expect(offered("deliver s1 ") == ["->"])
        #expect(offered("deliver s1->") == ["leader", "*", "s2", "s3", "s10"])
        #expect(offered("drop s2 -> s1") == ["s1", "s10"])
        #expect(offered("deliver s1->s2 ") == ["all", "nth"])
        #expect(offered("duplicate ") == ["leader", "s1", "s2", "s3", "s10"])
        #expect(offered("duplicate s2->") == ["leader", "s1", "s3", "s10"])
        #expect(offered("duplicate s2->s1 ") == ["nth"])
        #expect(offered("deliver all ") == [])
        #expect(offered("expect pending s1->") == ["leader", "s1", "s2", "s3", "s10"])
    }

    @Test func setOptionsServersAndFields() {
        let options = OptionName.allCases.map(\.rawValue)
        #expect(offered("set ") == options + ["leader", "s1", "s2", "s3", "s10"])
        #expect(offered("set s1 ") == ["term", "log", "voted", "commit"])
        #expect(offered("set s1 v") == ["voted"])
        #expect(offered("set s1 voted ") == ["none", "leader", "s1", "s2", "s3", "s10"])
        #expect(offered("set trace ") == ["on", "off"])
        #expect(offered("set seed ") == [])
        #expect(offered("set e") == ["election-timeout"])
        #expect(offered("set unsafe ") == ["commit-old-terms", "no-uptodate-check", "vote-twice", "keep-stale-term", "truncate-always"])
        #expect(offered("set unsafe vote-twice ") == ["on", "off"])
    }

    @Test func transferOffersALeaderThenAnotherServer() {
        #expect(offered("tra") == ["transfer"])
        #expect(offered("transfer ") == ["leader", "s1", "s2", "s3", "s10"])
        #expect(offered("transfer s2 ") == ["s1", "s3", "s10"])
        #expect(offered("set prevote ") == ["on", "off"])
        #expect(offered("set checkquorum ") == ["on", "off"])
    }

    @Test func expectAssertionWords() {
        let words = ["leader", "follower", "candidate", "precandidate", "down", "up", "term", "voted", "log", "commit", "votes"]
        #expect(offered("expect s1 ") == words)
        #expect(offered("expect s1 vo") == ["voted", "votes"])
        #expect(offered("expect ") == ["leader", "leaders", "no", "pending", "safe", "not", "error", "s1", "s2", "s3", "s10"])
        #expect(offered("expect not s1 vo") == ["voted", "votes"])
        #expect(offered("expect not sa") == ["safe"])
        #expect(offered("expect error hear") == ["heartbeat"])
        #expect(offered("expect not error deliver s1->") == ["leader", "*", "s2", "s3", "s10"])
        #expect(offered("expect no ") == ["leader"])
        #expect(offered("expect leader ") == words + ["s1", "s2", "s3", "s10"])
        #expect(offered("expect s1 log ") == ["empty"])
        #expect(offered("expect safe ") == [])
    }

    @Test func showAndHelpAndTick() {
        #expect(offered("show ") == ["log", "net", "timeline", "leader", "s1", "s2", "s3", "s10"])
        #expect(offered("show l") == ["log", "leader"])
        #expect(offered("help un") == ["undo"])
        #expect(offered("tick ") == ["until"])
        #expect(offered("tick until ") == ["leader"])
        #expect(offered("tick until leader ") == ["max"])
        #expect(offered("settle ") == [])
        #expect(offered("submit s1 ") == [], "a value is free text")
    }

    @Test func fileNamesAfterSourceAndSave() {
        let completion = completer.complete("source sc", cursor: 9)
        #expect(completion.candidates == ["scripts/"])
        #expect(completion.isFileName)
        #expect(offered("source ") == ["saved.raftscript", "scripts/"], "dot files stay hidden")
        #expect(offered("source .") == [".hidden"])
        #expect(offered("save scripts/") == ["scripts/paper/", "scripts/readme.md", "scripts/rules/"])
        #expect(offered("save! scripts/r") == ["scripts/readme.md", "scripts/rules/"])
        #expect(offered("save --force sa") == ["saved.raftscript"])
        #expect(!completer.complete("timeout ", cursor: 8).isFileName)
        #expect(offered("cluster ") == [], "no file names where none go")
    }

    @Test func onlyTheTextBeforeTheCursorCounts() {
        let line = "timeout s1 s2"
        let completion = completer.complete(line, cursor: 9)  // after "timeout s"
        #expect(completion.word == "s")
        #expect(completion.candidates == ["s1", "s2", "s10"])
        #expect(completer.complete("sh log", cursor: 2).candidates == ["show"])
    }

    @Test func nothingInAComment() {
        #expect(offered("timeout s1 # s") == [])
    }

    @Test func replacementIsTheCommonPrefix() {
        #expect(completer.complete("timeout s", cursor: 9).replacement == "s")
        #expect(completer.complete("restart s", cursor: 9).replacement == "s3")
        #expect(completer.complete("set s1 vo", cursor: 9).replacement == "voted")
        #expect(completer.complete("expect s1 vo", cursor: 12).replacement == "vote")
        #expect(completer.complete("set e", cursor: 5).replacement == "election-timeout")
        #expect(completer.complete("heal s1->s2 ", cursor: 12).replacement == nil)
        #expect(offered("heal ") == ["s1", "s2", "s3", "s10"])
        #expect(offered("cut s2 ") == ["->", "s1", "s3", "s10"])
        #expect(offered("cut s2->") == ["s1", "s3", "s10"])
        #expect(Completion(word: "SH", candidates: ["show"]).replacement == "show", "keywords in their own case")
        #expect(Completion(word: "Sx", candidates: ["show", "set"]).replacement == "Sx", "never shorter than what was typed")
    }

    @Test func fromACluster() throws {
        var interpreter = try Interpreter(servers: 3)
        _ = try interpreter.run(#require(try Parser.parse("crash s2")))
        let completer = Completer(cluster: interpreter.cluster)
        #expect(completer.servers == ["s1", "s2", "s3"])
        #expect(completer.complete("restart ", cursor: 8).candidates == ["s2"])
    }
}
