import Foundation
import RaftCluster
import RaftScript

/// Runs a script with a recorder listening: what `raftsh chart` and the
/// counterexample charts draw.
public enum ChartRun {
    /// The recording of a script's run and how the script ended. The script's own
    /// output and diagnostics go to `sink`, as `raftsh run` prints them.
    public static func record(
        file path: String, servers: Int = 5, implementation: Implementation = .builtIn,
        sink: @escaping (ScriptRunner.Output) -> Void = { _ in }
    ) throws(CommandError) -> (recording: Recording, summary: ScriptRunner.Summary) {
        var (runner, recorder) = try runner(servers: servers, implementation: implementation, sink: sink)
        let summary = runner.run(file: path)
        return (recorder.recording, summary)
    }

    /// The same for script text already in hand.
    public static func record(
        script text: String, named name: String = "<script>", servers: Int = 5, implementation: Implementation = .builtIn,
        sink: @escaping (ScriptRunner.Output) -> Void = { _ in }
    ) throws(CommandError) -> (recording: Recording, summary: ScriptRunner.Summary) {
        var (runner, recorder) = try runner(servers: servers, implementation: implementation, sink: sink)
        let summary = runner.run(script: text, named: name)
        return (recorder.recording, summary)
    }

    /// A runner with a recorder listening, on raftsh's own servers or a user's
    /// program's. A line that does not parse never reaches the recorder as a
    /// command: its error is drawn from the diagnostic.
    private static func runner(
        servers: Int, implementation: Implementation, sink: @escaping (ScriptRunner.Output) -> Void
    ) throws(CommandError) -> (ScriptRunner, Recorder) {
        let interpreter = try Interpreter(servers: servers, implementation: implementation)
        let recorder = Recorder(starting: interpreter.cluster)
        var runner = ScriptRunner(interpreter: interpreter) { output in
            sink(output)
            guard case .diagnostic(let diagnostic) = output, diagnostic.kind == .error else { return }
            let last = recorder.recording.steps.last
            if last?.error == nil || last?.location != diagnostic.location {
                recorder.observeError(diagnostic.message, at: diagnostic.location)
            }
        }
        runner.observer = recorder
        return (runner, recorder)
    }
}
