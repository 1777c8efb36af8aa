import Synchronization

/// The buffer behind a log, shared by every copy of that log and by every
/// AppendEntries cut from it, so that neither copying a server nor sending its
/// entries copies an entry.
///
/// Append-only: slots are claimed in order and each is written once, right
/// after its claim. A holder only reads slots below the count it holds, and
/// those were written before it got that count, so it never sees a write. The
/// claim is atomic because two copies of one log, on different threads, may
/// both try to append at the same end: exactly one wins, the other copies.
///
/// `@unchecked Sendable` is sound for that reason: a slot is written only by
/// the one holder that claimed it (or by the only holder, when the storage is
/// uniquely referenced), and read only by holders whose count was handed to
/// them, with the usual synchronisation, after the write.
@usableFromInline
final class LogStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<LogEntry>
    @usableFromInline let capacity: Int
    /// Slots claimed so far, each written by the log that claimed it; no log
    /// using this storage is longer.
    ///
    /// Relaxed ordering is enough, as the claim only has to make one appender
    /// win. What publishes an entry to a reader is the hand-over of the log or
    /// message holding a count past it; and a holder that finds the storage
    /// uniquely referenced has synchronised with every other holder's release.
    @usableFromInline let claimed: Atomic<Int>

    /// The capacity of a log's first storage.
    static let minimumCapacity = 8

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
        claimed = Atomic(0)
    }

    deinit {
        base.deinitialize(count: claimed.load(ordering: .relaxed))
        base.deallocate()
    }

    /// Claims slot `index` for a log holding `index` entries; fails when the
    /// storage is full or another log claimed that slot first.
    @inlinable
    func claim(_ index: Int) -> Bool {
        index < capacity && claimed.compareExchange(expected: index, desired: index + 1, ordering: .relaxed).exchanged
    }

    /// Drops every slot from `count` on, for the storage's only holder, whose log
    /// is `count` entries long: the slots can be claimed and written again.
    func release(from count: Int) {
        let end = claimed.load(ordering: .relaxed)
        (base + count).deinitialize(count: end - count)
        claimed.store(count, ordering: .relaxed)
    }

    /// A new storage of `capacity` slots holding copies of the first `count` entries.
    func copy(_ count: Int, capacity: Int) -> LogStorage {
        let copy = LogStorage(capacity: capacity)
        copy.base.initialize(from: base, count: count)
        copy.claimed.store(count, ordering: .relaxed)
        return copy
    }

    /// A new storage of `capacity` slots holding the first `count` entries, moved
    /// out of this one (left empty): for the only holder, and cheaper than a copy.
    func move(_ count: Int, capacity: Int) -> LogStorage {
        release(from: count)
        let moved = LogStorage(capacity: capacity)
        moved.base.moveInitialize(from: base, count: count)
        moved.claimed.store(count, ordering: .relaxed)
        claimed.store(0, ordering: .relaxed)
        return moved
    }
}
