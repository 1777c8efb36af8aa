import RaftCluster

/// `tick N`.
extension Interpreter {
    mutating func tick(_ count: Int, trace: inout Trace, reply: inout Reply) throws {
        var meter = ProgressMeter(progress)
        defer { meter.finish() }
        for done in 0..<count {
            meter.step("tick: \(done) of \(count) ticks (now tick \(cluster.now))")
            if interruption?.isRequested == true {
                reply.lines.append("interrupted after \(done) of \(count) ticks (now tick \(cluster.now))")
                return
            }
            try cluster.tick(trace: &trace)
        }
    }
}
