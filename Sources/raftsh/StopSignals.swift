import Foundation
import RaftCluster
import RaftNode
import RaftSimulation
import Synchronization

/// SIGINT and SIGTERM during `explore` and `simulate`: the first asks the search
/// to stop (it reports what it did, marked as partial, and exits 130 or 143, as
/// a shell reports a process those signals ended); a second one ends raftsh at
/// once, node programs and all.
enum StopSignals {
    /// What the search polls.
    static let request = StopRequest()

    /// Installs the handlers (once, before any node program starts) and tells
    /// `ChildProcesses` that these two signals are raftsh's to handle. A signal
    /// ignored when raftsh started (`nohup`, a background job) stays ignored.
    static func install() {
        ChildProcesses.stopsOnSignals = true
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in [SIGINT, SIGTERM] {
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            let ignored = unsafeBitCast(SIG_IGN, to: Int.self)
            if unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == ignored { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = onStopSignal
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
            // A parent may have started raftsh with them blocked (a test runner does).
            sigaddset(&unblocked, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }

    /// The signal that asked for the stop, if one did.
    static var received: Int32? {
        let signal = receivedSignal.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// The exit status of a stopped command: 128 + the signal's number (130, 143).
    static var exitStatus: Int32 { 128 + (received ?? SIGINT) }

    /// How a partial summary names what stopped it.
    static var stoppedBy: String {
        switch received {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case let signal?: "signal \(signal)"
        case nil: "request"
        }
    }
}

private let receivedSignal = Atomic<Int32>(0)

/// Async-signal-safe: atomics, `kill` and `raise` only.
private let onStopSignal: @convention(c) (Int32) -> Void = { signal in
    guard receivedSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed).exchanged else {
        // A second signal: whoever sends it does not want to wait for the summary.
        ChildProcesses.killAll()
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
        return
    }
    StopSignals.request.request()
}
