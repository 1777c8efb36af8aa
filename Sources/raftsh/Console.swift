import Foundation
import RaftScript

/// Writing to the terminal: lines go out as soon as they are made.
enum Console {
    enum Stream {
        case standardOutput
        case standardError
    }

    static func print(_ line: String, to stream: Stream = .standardOutput) {
        let handle = stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data((line + "\n").utf8))
    }

    static func write(_ output: ScriptRunner.Output, diagnosticsTo stream: Stream) {
        switch output {
        case .line(let text): print(text)
        case .diagnostic(let diagnostic): print(diagnostic.description, to: stream)
        }
    }
}
