import Synchronization

/// A request to stop the running command, set from outside it (the shell's
/// Ctrl-C handler) and checked by long commands between two events.
///
/// Checking costs one relaxed atomic load, cheap enough for the delivery loop;
/// `request()` is safe to call from a signal handler.
public final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the running command to stop at its next check.
    public func request() {
        flag.store(true, ordering: .relaxed)
    }

    public var isRequested: Bool {
        flag.load(ordering: .relaxed)
    }

    /// Forgets a request, before the next command starts.
    public func reset() {
        flag.store(false, ordering: .relaxed)
    }
}
