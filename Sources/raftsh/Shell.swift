import Foundation
import RaftScript

/// The interactive shell. Without a terminal it reads standard input as a script.
enum Shell {
    static func run(servers: Int, trace: Bool?) -> Int32 {
        do {
            var runner = ScriptRunner(interpreter: try Interpreter(servers: servers, trace: trace ?? false)) { output in
                Console.write(output, diagnosticsTo: .standardError)
            }
            var text = ""
            while let line = readLine(strippingNewline: true) { text += line + "\n" }
            return runner.run(script: text, named: "<stdin>").exitStatus
        } catch {
            Console.print(Diagnostic(.error, at: nil, error.message).description, to: .standardError)
            return 2
        }
    }
}
