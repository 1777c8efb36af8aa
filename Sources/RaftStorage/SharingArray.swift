/// A growable array whose copies, and the slices cut from it, share one
/// buffer: copying or slicing copies no element, and appending writes in
/// place even while the buffer is shared.
///
/// It is the first `count` slots of a `SharedBuffer`. Slots below an array's
/// count are never written again, so a slice keeps its elements whatever the
/// array later becomes; removing from the end only lowers the count. An append
/// claims the slot past the end: when the buffer is full, or another copy
/// claimed that slot first, or this array was shortened, the array carries on
/// in place if it holds the buffer alone and moves to a buffer of its own if not.
///
/// Equality and hashing are by elements, as for an array. The small readers are
/// inlinable: a caller in another module would otherwise copy (retain) the array.
public struct SharingArray<Element> {
    /// nil until the first append.
    @usableFromInline var storage: SharedBuffer<Element>?
    /// The elements of the buffer that are this array's.
    @usableFromInline var length = 0

    @inlinable
    public init() {}

    @inlinable
    public var count: Int { length }

    @inlinable
    public var isEmpty: Bool { length == 0 }

    /// The element at a 0-based position.
    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        return storage.unsafelyUnwrapped.base[position]
    }

    /// The `length` elements from position `start` on, as a view of this
    /// array's buffer, whatever the array later becomes.
    @inlinable
    public func slice(from start: Int, count length: Int) -> SharedSlice<Element> {
        precondition(start >= 0 && length >= 0 && start + length <= count, "slice out of range")
        return SharedSlice(storage, from: start, count: length)
    }

    @inlinable
    public mutating func append(_ element: Element) {
        if storage?.claim(count) != true { reclaimOrRelocate() }
        (storage.unsafelyUnwrapped.base + length).initialize(to: element)
        length += 1
    }

    /// Keeps the first `newCount` elements. Only the count drops: copies and
    /// slices may still read the slots past it.
    @inlinable
    public mutating func removeLast(keeping newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "count out of range")
        length = newCount
    }

    /// Room for `minimumCapacity` elements before the next allocation.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > storage?.capacity ?? 0 { relocate(capacity: minimumCapacity) }
    }

    /// The slot after this array's end could not be claimed: the buffer is full,
    /// or this array was shortened, or another copy of it appended first. The
    /// buffer's only holder drops what lies past its end and carries on in
    /// place; an array sharing its buffer moves to one of its own.
    @inlinable
    mutating func reclaimOrRelocate() {
        if isKnownUniquelyReferenced(&storage), let own = storage, count < own.capacity {
            own.release(from: count)
        } else {
            relocate(capacity: max(2 * count, SharedBuffer<Element>.minimumCapacity))
        }
        let claimed = storage.unsafelyUnwrapped.claim(count)
        precondition(claimed, "an array's own buffer refused its next slot")
    }

    /// Moves this array's elements to a new buffer: moved out of one it holds
    /// alone, copied out of one it shares.
    @inlinable
    mutating func relocate(capacity: Int) {
        if isKnownUniquelyReferenced(&storage), let own = storage {
            storage = own.move(count, capacity: capacity)
        } else {
            storage = storage?.copy(count, capacity: capacity) ?? SharedBuffer(capacity: capacity)
        }
    }
}

extension SharingArray: Sendable where Element: Sendable {}

extension SharingArray: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: SharingArray, rhs: SharingArray) -> Bool {
        lhs.slice(from: 0, count: lhs.count) == rhs.slice(from: 0, count: rhs.count)
    }
}

extension SharingArray: Hashable where Element: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(slice(from: 0, count: count))
    }
}
