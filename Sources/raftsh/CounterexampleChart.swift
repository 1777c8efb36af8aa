import RaftChart
import RaftCluster
import RaftScript

/// The page of a counterexample, written next to its script by `simulate` and
/// `explore`: the shrunk run is easier to follow drawn than read.
enum CounterexampleChart {
    /// Runs the script just written to `path` and writes its page beside it; a
    /// chart that cannot be written is a warning, the script being what matters.
    /// The script is run against `implementation`, as it was found.
    static func write(script text: String, nextTo path: String, implementation: Implementation) {
        let page = ChartFile.defaultPath(forScript: path)
        do {
            let (recording, _) = try ChartRun.record(script: text, named: path, implementation: implementation)
            try ChartFile.write(recording, to: page, title: path)
            Console.print("wrote \(page) (its chart: open it in a browser)")
        } catch {
            Console.print("raftsh: warning: no chart: \(error.message)", to: .standardError)
        }
    }
}
