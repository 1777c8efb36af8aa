import RaftChart
import RaftScript

/// The page of a counterexample, written next to its script by `simulate` and
/// `explore`: the shrunk run is easier to follow drawn than read.
enum CounterexampleChart {
    /// Runs the script just written to `path` and writes its page beside it; a
    /// chart that cannot be written is a warning, the script being what matters.
    static func write(script text: String, nextTo path: String) {
        let page = ChartFile.defaultPath(forScript: path)
        do {
            let (recording, _) = try ChartRun.record(script: text, named: path)
            try ChartFile.write(recording, to: page, title: path)
            Console.print("wrote \(page) (its chart: open it in a browser)")
        } catch {
            Console.print("raftsh: warning: no chart: \(error.message)", to: .standardError)
        }
    }
}
