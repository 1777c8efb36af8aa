import RaftCluster
import RaftCore

/// Stands in for a program while a step is tried only to learn what the
/// program would be asked: it records the request and ends the step there.
/// `Explorer` learns so the requests of a state's successors, to send them to
/// the program all at once (`ServerProgram.askAhead`).
final class RequestRecorder: ServerProgram, @unchecked Sendable {
    let program: any ServerProgram
    private(set) var requests: [ProgramRequest] = []

    init(_ program: any ServerProgram) {
        self.program = program
    }

    var description: String { program.description }
    var features: Set<String> { program.features }

    func step(_ step: ProgramStep, of server: inout ProgramServer, in context: inout ProgramContext, into output: inout Output) throws(ProgramFailure) {
        requests.append(ProgramRequest(step: step, server: server, context: context))
        throw ProgramFailure("recorded, not carried out")
    }

    func another() throws(ProgramFailure) -> any ServerProgram {
        try program.another()
    }

    func stop() {}
}
