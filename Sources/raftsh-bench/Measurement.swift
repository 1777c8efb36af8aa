#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time used by this process so far, in seconds: on a busy machine the
/// wall clock also counts time spent waiting for a core.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// What one section did and how long it took.
struct Measurement {
    var name: String
    var wallSeconds: Double
    var cpuSeconds: Double
    /// What was done, as (count, unit) pairs, each also reported per second.
    var counts: [(Int, String)]

    /// Runs `body` once and times it on both clocks; `body` returns the counts.
    init(_ name: String, _ body: () -> [(Int, String)]) {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = processCPUSeconds()
        counts = body()
        cpuSeconds = processCPUSeconds() - cpuStart
        let (seconds, attoseconds) = (clock.now - start).components
        wallSeconds = Double(seconds) + Double(attoseconds) * 1e-18
        self.name = name
    }

    /// One line. Rates are per CPU second: every section is single-threaded,
    /// so CPU time is what the work costs, whatever else the machine is doing.
    func report() {
        let done = counts.map { "\(format($0.0)) \($0.1)" }.joined(separator: ", ")
        let rates = counts.map { "\(format(Int((Double($0.0) / max(cpuSeconds, 1e-9)).rounded()))) \($0.1)/s" }
        print("\(name): \(done) in \(milliseconds(cpuSeconds)) ms cpu (\(milliseconds(wallSeconds)) ms wall)"
            + " = " + rates.joined(separator: ", "))
    }

    private func milliseconds(_ seconds: Double) -> String {
        format(Int((seconds * 1000).rounded()))
    }
}

/// 1234567 → "1,234,567".
func format(_ value: Int) -> String {
    let digits = Array(String(value.magnitude))
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
}

func fail(_ message: String) -> Never {
    print("raftsh-bench: \(message)")
    exit(1)
}
