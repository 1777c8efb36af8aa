import RaftCluster

/// `tick N`.
extension Interpreter {
    mutating func tick(_ count: Int, trace: inout Trace, reply: inout Reply) throws {
        for done in 0..<count {
            if interruption?.isRequested == true {
                reply.lines.append("interrupted after \(done) of \(count) ticks (now tick \(cluster.now))")
                return
            }
            try cluster.tick(trace: &trace)
        }
    }
}
