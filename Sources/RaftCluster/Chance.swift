/// A probability made ready for `SeededGenerator.chance`: random schedules ask for
/// a loss and a duplicate at every delivery, and comparing the draw as an integer
/// spares converting it to a `Double` each time.
public struct Chance: Hashable, Sendable {
    /// A draw succeeds when its low 53 bits, m, are below this: m·2⁻⁵³ < p exactly
    /// when m < ⌈p·2⁵³⌉, as m is an integer (and p·2⁵³ is exact).
    @usableFromInline let limit: UInt64

    public init(_ p: Double) {
        limit = p > 0 ? UInt64((min(p, 1) * 0x1p53).rounded(.up)) : 0
    }
}
