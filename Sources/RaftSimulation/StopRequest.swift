import Synchronization

/// A request to stop a search or a set of runs before it is done, set from
/// outside (raftsh's SIGINT and SIGTERM handler) and polled by the search
/// between states and by a run every few thousand events, so that what was
/// done so far can still be reported.
///
/// Polling costs one relaxed atomic load; `request()` is safe to call from a
/// signal handler (it neither allocates nor locks).
public final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func request() {
        flag.store(true, ordering: .relaxed)
    }

    public var isRequested: Bool {
        flag.load(ordering: .relaxed)
    }
}
