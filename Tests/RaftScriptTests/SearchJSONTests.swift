import Foundation
import Testing

/// `--json` on `simulate`, `explore` and `test`, read back with Foundation's
/// parser, and `simulate merge` over shards of one campaign.
@Suite(.timeLimit(.minutes(3)))
struct SearchJSONTests {
    /// Standard output as the one JSON object it must be.
    static func object(_ stdout: String) throws -> [String: Any] {
        #expect(stdout.hasSuffix("}\n"))
        #expect(stdout.split(separator: "\n").count == 1)
        return try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func simulateSummarisesAsOneObject() throws {
        let result = try EndToEndTests.raftsh(["simulate", "--runs", "6", "--steps", "500", "--seed", "3", "--json"])
        #expect(result.status == 0)
        let summary = try Self.object(result.stdout)
        #expect(summary["command"] as? String == "simulate")
        #expect(summary["runs"] as? Int == 6)
        #expect(summary["events"] as? Int == 3000)
        #expect(summary["unfinishedRuns"] as? Int == 0)
        #expect(summary["partial"] as? Bool == false)
        #expect(summary["violation"] is NSNull)
        #expect(summary["seeds"] as? [[Int]] == [[3, 8]])
        let options = try #require(summary["options"] as? [String: Any])
        #expect(options["servers"] as? Int == 5)
        #expect(options["steps"] as? Int == 500)
        for flag in ["cuts", "prevote", "checkquorum", "transfers"] { #expect(options[flag] as? Bool == false, "\(flag)") }
        // The human lines move to standard error.
        #expect(result.stderr.hasPrefix("3000 events in 6 runs, "))
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func shardsMergeIntoTheWholeCampaign() throws {
        let folder = TemporaryFolder()
        let arguments = ["simulate", "--steps", "800", "--crashes", "--clients", "--json"]
        let whole = try Self.object(try EndToEndTests.raftsh(arguments + ["--seed", "1", "--runs", "9"]).stdout)
        var files: [String] = []
        for (seed, runs) in [(5, 5), (1, 2), (3, 2)] {
            let shard = try EndToEndTests.raftsh(arguments + ["--seed", "\(seed)", "--runs", "\(runs)"])
            files.append(folder.write("shard\(seed).json", shard.stdout))
        }
        let merged = try EndToEndTests.raftsh(["simulate", "merge"] + files)
        #expect(merged.status == 0)
        #expect(merged.stderr.isEmpty)
        let summary = try Self.object(merged.stdout)
        for key in ["runs", "events", "elections", "highestTerm", "committed", "unfinishedRuns", "electionsStarted", "termsStarted", "longestWithoutLeader", "longestWithoutLeaderSummed"] {
            #expect(summary[key] as? Int == whole[key] as? Int, "\(key)")
            #expect(summary[key] != nil)
        }
        #expect(summary["seeds"] as? [[Int]] == [[1, 9]])
        #expect((summary["options"] as? NSDictionary) == (whole["options"] as? NSDictionary))
        // A merged summary merges again.
        let again = try EndToEndTests.raftsh(["simulate", "merge", folder.write("merged.json", merged.stdout)])
        #expect(try Self.object(again.stdout)["events"] as? Int == whole["events"] as? Int)
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func badSummariesAreOneLineAndStatus2() throws {
        let folder = TemporaryFolder()
        let good = folder.write("good.json", try EndToEndTests.raftsh(["simulate", "--runs", "2", "--steps", "100", "--json"]).stdout)
        let otherSteps = folder.write("steps.json", try EndToEndTests.raftsh(["simulate", "--runs", "2", "--seed", "10", "--steps", "200", "--json"]).stdout)
        let cases: [(String, String)] = [
            (folder.write("broken.json", "{\"command\": \"simulate\", "), "not JSON: "),
            (folder.write("other.json", "{\"command\": \"explore\"}"), "not a `raftsh simulate --json` summary"),
            (folder.write("negative.json", (try String(contentsOfFile: good, encoding: .utf8)).replacingOccurrences(of: "\"runs\":2", with: "\"runs\":-2")), "\"runs\" is a number, not a count"),
            (good, "its seeds 1…2 overlap seeds 1…2 of an earlier file"),
            (otherSteps, "its options differ from the first file's (steps: 100 there, 200 here)"),
            (folder.path + "/missing.json", "no such file"),
            (folder.path, "is a folder, not a summary"),
        ]
        for (file, message) in cases {
            let result = try EndToEndTests.raftsh(["simulate", "merge", good, file])
            #expect(result.status == 2, "\(file)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("raftsh simulate merge: error: \(file): \(message)"), "\(file)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func aViolationCarriesItsSeedAndCounterexample() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/found.raftscript"
        let result = try EndToEndTests.raftsh(["simulate", "--unsafe", "vote-twice", "--runs", "50", "--json", "--output", path])
        #expect(result.status == 1)
        let summary = try Self.object(result.stdout)
        let violation = try #require(summary["violation"] as? [String: Any])
        #expect(violation["property"] as? String == "Election Safety")
        #expect(violation["seed"] as? Int == 1)
        #expect(violation["counterexample"] as? String == path)
        #expect((violation["shrunkEvents"] as? Int ?? 0) > 0)
        #expect((violation["shrunkEvents"] as? Int ?? 0) <= (violation["events"] as? Int ?? 0))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(result.stderr.contains("wrote \(path)\n"))
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func exploreSummarisesAsOneObject() throws {
        let result = try EndToEndTests.raftsh(["explore", "--max-log", "0", "--max-in-flight", "3", "--json"])
        #expect(result.status == 0)
        let summary = try Self.object(result.stdout)
        #expect(summary["command"] as? String == "explore")
        // The count ExplorerTests pins for these bounds.
        #expect(summary["distinctStates"] as? Int == 638)
        #expect(summary["unreducedStates"] as? Int == 3787)
        #expect(summary["depth"] as? Int == 22)
        #expect(summary["partial"] as? Bool == false)
        #expect(summary["violation"] is NSNull)
        #expect((summary["options"] as? [String: Any])?["maxInFlight"] as? Int == 3)
        #expect((summary["options"] as? [String: Any])?["prevote"] as? Bool == false)

        let folder = TemporaryFolder()
        let path = folder.path + "/found.raftscript"
        let broken = try EndToEndTests.raftsh(["explore", "--unsafe", "vote-twice", "--json", "--output", path])
        #expect(broken.status == 1)
        let violation = try #require(try Self.object(broken.stdout)["violation"] as? [String: Any])
        #expect(violation["counterexample"] as? String == path)
        #expect(violation["property"] as? String == "Election Safety")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func aStoppedSearchSaysItIsPartial() throws {
        let result = try SearchSignalTests.stop(["explore", "--clients", "1", "--max-in-flight", "8", "--json"], with: SIGTERM)
        #expect(result.status == 143)
        let summary = try Self.object(result.stdout)
        #expect(summary["partial"] as? Bool == true)
        #expect(summary["stoppedBy"] as? String == "SIGTERM")
        #expect((summary["queued"] as? Int ?? 0) > 0)
        #expect(result.stderr.hasPrefix("partial search, stopped by SIGTERM: "))
    }

    @Test(.enabled(if: EndToEndTests.binary != nil, "build the raftsh product first (swift build)"))
    func testReportsEveryScript() throws {
        let folder = TemporaryFolder()
        folder.write("a/pass.raftscript", "timeout s1\nsettle\nexpect s1 leader\n")
        folder.write("a/fail.raftscript", "timeout s1\nsettle\nexpect s2 leader\n")
        folder.write("a/error.raftscript", "frobnicate\n")
        folder.write("a/later.exercise.raftscript", "expect s1 leader\n")
        let result = try EndToEndTests.raftsh(["test", "--json", folder.path + "/a"])
        #expect(result.status == 2)
        let summary = try Self.object(result.stdout)
        #expect(summary["command"] as? String == "test")
        #expect(summary["passed"] as? Int == 1)
        #expect(summary["failed"] as? Int == 2)
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["skipped"] as? Int == 1)
        #expect(summary["exitStatus"] as? Int == 2)
        let scripts = try #require(summary["scripts"] as? [[String: Any]])
        var results: [String: String] = [:]
        for script in scripts { results[((script["path"] as? String ?? "") as NSString).lastPathComponent] = script["result"] as? String }
        #expect(results == ["pass.raftscript": "passed", "fail.raftscript": "failed", "error.raftscript": "error", "later.exercise.raftscript": "skipped"])
        let failing = scripts.first { ($0["path"] as? String)?.hasSuffix("fail.raftscript") == true }
        #expect((failing?["messages"] as? [String])?.first?.contains(":3: expect failed: s2 is FOLLOWER") == true)
        #expect(result.stderr.contains("1 passed, 2 failed, 1 skipped"))
    }
}
