import Foundation
import RaftScript

/// Runs a script with a recorder listening: what `raftsh chart` and the
/// counterexample charts draw.
public enum ChartRun {
    /// The recording of a script's run and how the script ended. The script's own
    /// output and diagnostics go to `sink`, as `raftsh run` prints them.
    public static func record(
        file path: String, servers: Int = 5, sink: @escaping (ScriptRunner.Output) -> Void = { _ in }
    ) throws(CommandError) -> (recording: Recording, summary: ScriptRunner.Summary) {
        var runner = ScriptRunner(interpreter: try Interpreter(servers: servers), sink: sink)
        let recorder = Recorder(starting: runner.interpreter.cluster)
        runner.observer = recorder
        let summary = runner.run(file: path)
        return (recorder.recording, summary)
    }

    /// The same for script text already in hand.
    public static func record(
        script text: String, named name: String = "<script>", servers: Int = 5,
        sink: @escaping (ScriptRunner.Output) -> Void = { _ in }
    ) throws(CommandError) -> (recording: Recording, summary: ScriptRunner.Summary) {
        var runner = ScriptRunner(interpreter: try Interpreter(servers: servers), sink: sink)
        let recorder = Recorder(starting: runner.interpreter.cluster)
        runner.observer = recorder
        let summary = runner.run(script: text, named: name)
        return (recorder.recording, summary)
    }
}
