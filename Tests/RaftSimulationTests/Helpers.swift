import RaftCore

@testable import RaftCluster

extension Cluster {
    /// A fresh cluster of `size` servers; sizes in tests are always valid.
    static func fresh(_ size: Int = 5) -> Cluster {
        try! Cluster(size: size)
    }

    func id(_ name: String) -> ServerID {
        id(named: name)!
    }

    /// Elects `name` in its next term by delivering everything in send order.
    mutating func elect(_ name: String) throws {
        var trace = Trace(recording: false)
        try timeout(id(name), trace: &trace)
        try settle(maxDeliveries: 10_000, trace: &trace)
    }
}

var quiet: Trace { Trace(recording: false) }
