import Synchronization

/// A request to stop, set from outside what runs (the shell's Ctrl-C handler,
/// raftsh's SIGINT and SIGTERM handler) and polled by what runs long: a
/// command between two events, a search between states, a run every few
/// thousand events, so that what was done so far can still be reported.
///
/// Polling costs one relaxed atomic load; `request()` is safe to call from a
/// signal handler (it neither allocates nor locks).
public final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks what runs to stop at its next check.
    public func request() {
        flag.store(true, ordering: .relaxed)
    }

    public var isRequested: Bool {
        flag.load(ordering: .relaxed)
    }

    /// Forgets a request, before the shell's next command starts.
    public func reset() {
        flag.store(false, ordering: .relaxed)
    }
}
