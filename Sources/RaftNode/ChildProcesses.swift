import Foundation
import Glibc
import Synchronization

/// The process groups of the node programs running now, so that none is left
/// behind however raftsh ends: at a normal exit (`atexit`), and on SIGTERM,
/// SIGHUP and, outside the interactive shell, SIGINT, whose handler kills them
/// and then lets the signal end raftsh as it would have. `explore` and
/// `simulate` handle SIGINT and SIGTERM themselves (`stopsOnSignals`): they
/// stop, report, stop their programs and exit, and the `atexit` hook kills
/// whatever is left.
///
/// Each program runs in a process group of its own (Foundation's `Process`
/// makes one), so Ctrl-C at the shell does not reach it and killing the group
/// takes its children too. The table is a fixed block of memory, read by a
/// signal handler without allocating or locking.
public enum ChildProcesses {
    static let capacity = 1024
    nonisolated(unsafe) static let groups: UnsafeMutablePointer<pid_t> = {
        let table = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        table.initialize(repeating: 0, count: capacity)
        return table
    }()
    private nonisolated(unsafe) static var installed = false
    private static let lock = NSLock()

    /// Starts a program with `spawn` (which returns its process group) and
    /// remembers it. The signals that end raftsh are held back meanwhile, so that
    /// none can end raftsh between the start and the entry in the table: blocked
    /// on this thread, and, should one reach another thread meanwhile, put off by
    /// the handler until the program is in the table (`spawning`).
    static func start(_ spawn: () throws -> pid_t) throws -> pid_t? {
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        for signal in endingSignals { sigaddset(&held, signal) }
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try lock.withLock {
            installOnce()
            spawning.store(1, ordering: .sequentiallyConsistent)
            defer {
                spawning.store(0, ordering: .sequentiallyConsistent)
                let signal = putOff.exchange(0, ordering: .sequentiallyConsistent)
                if signal != 0 { end(by: signal) }
            }
            let group = try spawn()
            for slot in 0..<capacity where groups[slot] == 0 {
                groups[slot] = group
                return group
            }
            return nil
        }
    }

    /// Whether a program is being started and entered in the table, and a signal
    /// that arrived meanwhile (on another thread) and waits for the entry.
    private static let spawning = Atomic<Int32>(0)
    private static let putOff = Atomic<Int32>(0)

    /// Kills every program and lets `signal` end raftsh as it would have: at
    /// once outside a handler, on the handler's return inside one (the signal
    /// is blocked while its handler runs). Safe in a signal handler.
    private static func end(by signal: Int32) {
        killAll()
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
    }

    private static var endingSignals: [Int32] {
        stopsOnSignals ? [SIGHUP] : shellHandlesInterrupt ? [SIGTERM, SIGHUP] : [SIGTERM, SIGHUP, SIGINT]
    }

    static func remove(_ group: pid_t) {
        lock.withLock {
            for slot in 0..<capacity where groups[slot] == group { groups[slot] = 0 }
        }
    }

    /// Kills every group still running. Safe in a signal handler.
    public static func killAll() {
        for slot in 0..<capacity {
            let group = groups[slot]
            if group > 0 { kill(-group, SIGKILL) }
        }
    }

    /// Whether raftsh handles SIGINT itself (the interactive shell): then Ctrl-C
    /// leaves the node programs alone. Set before the first program starts.
    public nonisolated(unsafe) static var shellHandlesInterrupt = false

    /// Whether raftsh handles SIGINT and SIGTERM itself (a search or a set of runs
    /// that stops cleanly on them): then they leave the node programs to raftsh's
    /// way out. Set before the first program starts.
    public nonisolated(unsafe) static var stopsOnSignals = false

    private static func installOnce() {
        guard !installed else { return }
        installed = true
        atexit { ChildProcesses.killAll() }
        let signals = endingSignals
        // A parent may have started raftsh with these blocked (a test runner
        // does): they must reach the handler, or the programs would outlive raftsh.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in signals { sigaddset(&unblocked, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                if ChildProcesses.spawning.load(ordering: .sequentiallyConsistent) != 0 {
                    ChildProcesses.putOff.store(number, ordering: .sequentiallyConsistent)
                    return
                }
                ChildProcesses.end(by: number)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        // A program that exits while raftsh writes to it must be an error, not the end of raftsh.
        Glibc.signal(SIGPIPE, SIG_IGN)
    }
}
