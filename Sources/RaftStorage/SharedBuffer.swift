import Synchronization

/// The buffer behind a `SharingArray`, shared by every copy of that array and
/// by every `SharedSlice` cut from it, so that neither copying nor slicing
/// copies an element.
///
/// Append-only: slots are claimed in order and each is written once, right
/// after its claim. A holder only reads slots below the count it holds, and
/// those were written before it got that count, so it never sees a write. The
/// claim is atomic because two copies of one array, on different threads, may
/// both try to append at the same end: exactly one wins, the other copies.
///
/// `@unchecked Sendable` is sound for that reason: a slot is written only by
/// the one holder that claimed it (or by the only holder, when the buffer is
/// uniquely referenced), and read only by holders whose count was handed to
/// them, with the usual synchronisation, after the write.
///
/// Everything but `deinit` is inlinable, so that a client specializes it for
/// its element type: the raft log appends and reads through it on every event.
@usableFromInline
final class SharedBuffer<Element>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let capacity: Int
    /// Slots claimed so far, each written by the array that claimed it; no array
    /// using this buffer is longer.
    ///
    /// Relaxed ordering is enough, as the claim only has to make one appender
    /// win. What publishes an element to a reader is the hand-over of the array
    /// or slice holding a count past it; and a holder that finds the buffer
    /// uniquely referenced has synchronised with every other holder's release.
    @usableFromInline let claimed: Atomic<Int>

    /// The capacity of an array's first buffer.
    @usableFromInline static var minimumCapacity: Int { 8 }

    @inlinable
    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
        claimed = Atomic(0)
    }

    deinit {
        base.deinitialize(count: claimed.load(ordering: .relaxed))
        base.deallocate()
    }

    /// Claims slot `index` for an array holding `index` elements; fails when the
    /// buffer is full or another array claimed that slot first.
    @inlinable
    func claim(_ index: Int) -> Bool {
        index < capacity && claimed.compareExchange(expected: index, desired: index + 1, ordering: .relaxed).exchanged
    }

    /// Drops every slot from `count` on, for the buffer's only holder, whose array
    /// is `count` elements long: the slots can be claimed and written again.
    @inlinable
    func release(from count: Int) {
        let end = claimed.load(ordering: .relaxed)
        (base + count).deinitialize(count: end - count)
        claimed.store(count, ordering: .relaxed)
    }

    /// A new buffer of `capacity` slots holding copies of the first `count` elements.
    @inlinable
    func copy(_ count: Int, capacity: Int) -> SharedBuffer {
        let copy = SharedBuffer(capacity: capacity)
        copy.base.initialize(from: base, count: count)
        copy.claimed.store(count, ordering: .relaxed)
        return copy
    }

    /// A new buffer of `capacity` slots holding the first `count` elements, moved
    /// out of this one (left empty): for the only holder, and cheaper than a copy.
    @inlinable
    func move(_ count: Int, capacity: Int) -> SharedBuffer {
        release(from: count)
        let moved = SharedBuffer(capacity: capacity)
        moved.base.moveInitialize(from: base, count: count)
        moved.claimed.store(count, ordering: .relaxed)
        claimed.store(0, ordering: .relaxed)
        return moved
    }
}
