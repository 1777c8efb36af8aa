/// Says how a long command (`tick`, `tick until leader`, `settle`) is going,
/// once it has run for a second: the shell shows it on the terminal, so a
/// command that takes a while is not mistaken for a hang. Looking at the clock
/// every 1024 steps keeps it off the cost of a step.
struct ProgressMeter {
    let report: (@Sendable (String) -> Void)?
    private let start = ContinuousClock.now
    private var lastShown: ContinuousClock.Instant?
    private var steps = 0

    init(_ report: (@Sendable (String) -> Void)?) {
        self.report = report
    }

    /// One more step; `text` says where the command is.
    mutating func step(_ text: @autoclosure () -> String) {
        guard let report else { return }
        steps += 1
        guard steps & 1023 == 0 else { return }
        let now = ContinuousClock.now
        guard now - start >= .seconds(1), lastShown.map({ now - $0 >= .milliseconds(200) }) ?? true else { return }
        lastShown = now
        report(text())
    }

    /// Clears the progress line when one was shown.
    func finish() {
        if lastShown != nil { report?("") }
    }
}
