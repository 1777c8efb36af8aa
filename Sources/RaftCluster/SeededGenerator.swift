/// SplitMix64: a small, fast generator whose whole state is one number, so a
/// cluster that holds it stays a plain value (copy it and the future is copied too).
///
/// Random schedules draw several numbers per event, so the draws they use are
/// spelled out here (and inlinable) instead of going through the standard
/// library's generic versions, which cost several times as much. Each returns
/// exactly what its standard-library counterpart returns from the same state;
/// tests hold them equal, so schedules do not depend on which one is called.
public struct SeededGenerator: RandomNumberGenerator, Hashable, Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `Int.random(in: 0..<bound, using: &self)`: Lemire's nearly divisionless
    /// method, as the standard library does it.
    @inlinable @inline(__always)
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(_:) needs a positive bound")
        let upper = UInt64(bound)
        var product = next().multipliedFullWidth(by: upper)
        if product.low < upper {
            let threshold = (0 &- upper) % upper
            while product.low < threshold {
                product = next().multipliedFullWidth(by: upper)
            }
        }
        return Int(product.high)
    }

    /// `Bool.random(using: &self)`.
    @inlinable
    public mutating func coinFlip() -> Bool {
        (next() >> 17) & 1 == 0
    }

    /// A number drawn uniformly from `range`, as `Int.random(in: range, using: &self)`;
    /// no draw at all when the range is one number, so fixed settings leave the
    /// generator untouched.
    @inlinable
    public mutating func draw(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound == range.upperBound ? range.lowerBound : range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`; no draw when `p` is 0.
    @inlinable
    public mutating func chance(_ p: Double) -> Bool {
        chance(Chance(p))
    }

    /// `Double.random(in: 0..<1, using: &self) < p` for the probability `chance`
    /// was made from (that draw is the low 53 bits scaled into [0, 1)), compared as
    /// integers; no draw when it is 0.
    @inlinable
    public mutating func chance(_ chance: Chance) -> Bool {
        chance.limit > 0 && next() & (1 << 53 - 1) < chance.limit
    }
}
