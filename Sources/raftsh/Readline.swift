import CReadline
import Foundation
import RaftCluster
import RaftScript
import Synchronization

// The one file that touches GNU readline's C globals and callbacks.
//
// Readline runs through its callback interface: `ReadlineSource` polls standard
// input and feeds readline one character at a time, so a Ctrl-C (which only
// sets a flag here) can abandon the line being edited. Readline calls back only
// from inside `rl_callback_read_char`, on the thread that called it; what the
// callbacks share with `ReadlineSource` sits behind a mutex.

/// Ctrl-C: set by the SIGINT handler, read by the prompt and by long commands.
let interruptRequest = StopRequest()

/// What the callbacks and `ReadlineSource` share.
private struct Shared: Sendable {
    var completer: Completer?
    /// Set by the line handler: the line accepted, or nil for Ctrl-D.
    var accepted: String??
}

private let shared = Mutex(Shared())

/// Readline's line handler: keeps the line and stops reading.
private let acceptLine: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { text in
    let line = text.map { String(cString: $0) }
    free(text)
    shared.withLock { $0.accepted = .some(line) }
    rl_callback_handler_remove()
}

/// Readline's completion hook: the Swift `Completer`, and never readline's own
/// fallback to file names.
private let completeWord: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { _, _, _ in
    raftsh_rl_completion_mode(0)
    guard let completer = shared.withLock({ $0.completer }), let buffer = raftsh_rl_line_buffer() else { return nil }
    let completion = completer.complete(String(cString: buffer), cursor: Int(raftsh_rl_point()))
    let words = completion.readlineMatches
    guard !words.isEmpty else { return nil }
    // Lets readline show base names in a list and end a folder with `/`, not a space.
    if completion.isFileName { raftsh_rl_completion_mode(1) }
    raftsh_rl_completion_append(completion.appendsSpace ? 32 : 0)
    let matches = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: words.count + 1)
    for (index, word) in words.enumerated() { matches[index] = strdup(word) }
    matches[words.count] = nil
    return matches
}

private let noFileNames: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in nil }

/// Whether readline owns the terminal (it echoes nothing; `clearLine` prints `^C`).
private let atPrompt = Atomic<Bool>(false)

/// SIGINT: a flag for whoever is running. Outside the prompt the terminal has
/// echoed `^C`; a newline (write is async-signal-safe) keeps what follows apart.
private let onInterrupt: @convention(c) (Int32) -> Void = { _ in
    interruptRequest.request()
    if !atPrompt.load(ordering: .relaxed) { _ = write(STDOUT_FILENO, "\n", 1) }
}

/// Lines typed at a terminal, edited with GNU readline, with history and TAB completion.
struct ReadlineSource: LineSource {
    private var history: HistoryFile?
    private let warn: (String) -> Void

    /// Sets readline up (once per process) and loads the history file.
    init(historyPath: String?, warn: @escaping (String) -> Void) {
        self.warn = warn
        // `$if raftsh` in ~/.inputrc applies to this program; the word breaks are the Completer's.
        let breaks = String(Completer.wordBreaks.sorted())
        raftsh_rl_configure(strdup("raftsh"), strdup(breaks), completeWord, noFileNames)
        // Readline leaves SIGINT to us: the handler sets a flag, the poll loop clears the line.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = onInterrupt
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)

        using_history()
        stifle_history(1000)
        if let historyPath {
            var file = HistoryFile(path: historyPath, limit: 1000)
            if let warning = file.load() { warn(warning) }
            for line in file.lines { add_history(line) }
            history = file
        }
    }

    mutating func nextLine(prompt: String, completer: Completer) -> String? {
        interruptRequest.reset()
        shared.withLock {
            $0.completer = completer
            $0.accepted = nil
        }
        atPrompt.store(true, ordering: .relaxed)
        defer { atPrompt.store(false, ordering: .relaxed) }
        rl_callback_handler_install(prompt, acceptLine)
        while true {
            if let accepted = shared.withLock({ $0.accepted }) {
                if let line = accepted { remember(line) }
                return accepted
            }
            if interruptRequest.isRequested {
                clearLine()
                continue
            }
            var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&input, 1, -1)
            if ready > 0 {
                rl_callback_read_char()
            } else if ready < 0, errno != EINTR {
                rl_callback_handler_remove()
                return nil
            }
        }
    }

    /// Ctrl-C at the prompt: the line is dropped and a fresh prompt shown.
    private func clearLine() {
        interruptRequest.reset()
        raftsh_rl_discard_line()
        _ = write(STDOUT_FILENO, "^C", 2)
        rl_crlf()
        rl_on_new_line()
        rl_redisplay()
    }

    /// An accepted line goes into readline's list and the history file at once.
    private mutating func remember(_ line: String) {
        guard var file = history else { return }
        let (added, warning) = file.record(line)
        history = file
        if added { add_history(line) }
        if let warning { warn(warning) }
    }
}
