/// Consecutive elements of a `SharingArray`, viewed in place in its buffer, so
/// that cutting a slice costs the same whatever its length, and a slice keeps
/// its elements whatever the array later becomes (slots below an array's end
/// are never written again).
///
/// Indexed from 0 like an array. Equal when the elements are equal, whichever
/// buffer they sit in. The position and length are 32 bits each so that the
/// view is two words: the raft messages that carry one are copied in and out
/// of the network on every send and delivery.
public struct SharedSlice<Element>: RandomAccessCollection {
    /// nil when empty, so that an empty slice retains nothing.
    @usableFromInline let storage: SharedBuffer<Element>?
    @usableFromInline let start: Int32
    @usableFromInline let length: Int32

    @inlinable
    init(_ storage: SharedBuffer<Element>?, from start: Int, count: Int) {
        self.storage = count == 0 ? nil : storage
        self.start = count == 0 ? 0 : Int32(start)
        length = Int32(count)
    }

    /// No elements.
    @inlinable
    public init() {
        self.init(nil, from: 0, count: 0)
    }

    /// These elements, in a buffer of their own.
    @inlinable
    public init(_ elements: some Sequence<Element>) {
        var array = SharingArray<Element>()
        array.reserveCapacity(elements.underestimatedCount)
        for element in elements { array.append(element) }
        self = array.slice(from: 0, count: array.count)
    }

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int { Int(length) }

    @inlinable
    public var count: Int { Int(length) }

    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        return storage.unsafelyUnwrapped.base[Int(start) + position]
    }
}

extension SharedSlice: Sendable where Element: Sendable {}

extension SharedSlice: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension SharedSlice: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: SharedSlice, rhs: SharedSlice) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return (lhs.storage === rhs.storage && lhs.start == rhs.start) || lhs.elementsEqual(rhs)
    }
}

extension SharedSlice: Hashable where Element: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for element in self { hasher.combine(element) }
    }
}

extension SharedSlice: CustomStringConvertible {
    public var description: String { Array(self).description }
}
