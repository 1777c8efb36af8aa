/// A value kept only to be reused, such as a buffer that would otherwise be freed
/// and allocated again. It takes no part in its holder's equality or hash, so
/// keeping it changes no answer about the holder.
struct Spare<Value: Sendable>: Hashable, Sendable {
    var value: Value?

    static func == (lhs: Spare, rhs: Spare) -> Bool { true }

    func hash(into hasher: inout Hasher) {}
}
