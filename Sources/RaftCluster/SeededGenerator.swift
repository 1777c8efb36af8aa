/// SplitMix64: a small, fast generator whose whole state is one number, so a
/// cluster that holds it stays a plain value (copy it and the future is copied too).
public struct SeededGenerator: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number drawn uniformly from `range`; no draw at all when the range is one number,
    /// so fixed settings leave the generator untouched. (Compared by bounds: `count`
    /// goes through generic code, and this runs for every message sent.)
    public mutating func draw(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound == range.upperBound ? range.lowerBound : Int.random(in: range, using: &self)
    }

    /// True with probability `p`; no draw when `p` is 0.
    public mutating func chance(_ p: Double) -> Bool {
        p > 0 && unitDouble() < p
    }

    /// The number `Double.random(in: 0..<1, using: &self)` returns, from the same
    /// single draw: the low 53 bits scaled into [0, 1). Spelled out because random
    /// schedules ask twice per delivery, and the generic version, with its checks
    /// for arbitrary ranges, costs several times as much. A test holds the two equal.
    mutating func unitDouble() -> Double {
        Double(next() & (1 << 53 - 1)) * 0x1p-53
    }
}
