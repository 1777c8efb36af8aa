import Synchronization

/// The fingerprint set of the parallel search: `FingerprintSet`'s table, which
/// the threads expanding a level read while the one thread walking the
/// finished pieces adds to it.
///
/// Each slot is an atomic word, so a reader sees a slot empty or holding a
/// whole fingerprint. A fingerprint it finds was added by an earlier level or
/// an earlier piece of this one, so it is a repeat in the serial search's
/// order too; one it misses because it was added a moment later is caught by
/// the walk. The table only grows (`insert` when full) while no thread reads.
final class SharedFingerprintSet: @unchecked Sendable {
    /// 0 marks an empty slot; the fingerprint 0 itself is remembered apart.
    private var slots: UnsafeMutablePointer<Atomic<UInt64>>
    private var capacity: Int
    private let containsZero = Atomic<Bool>(false)
    private(set) var count = 0

    init() {
        capacity = 1 << 10
        slots = Self.emptySlots(capacity)
    }

    deinit {
        slots.deallocate()
    }

    private static func emptySlots(_ capacity: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        let slots = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: capacity)
        for slot in 0..<capacity { (slots + slot).initialize(to: Atomic(0)) }
        return slots
    }

    /// Whether `fingerprint` is there; any thread may ask while one adds.
    func contains(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 { return containsZero.load(ordering: .relaxed) }
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while true {
            let held = slots[slot].load(ordering: .relaxed)
            if held == 0 { return false }
            if held == fingerprint { return true }
            slot = (slot + 1) & mask
        }
    }

    /// The memory the table holds.
    var bytes: Int { capacity * MemoryLayout<UInt64>.stride }

    /// Whether `more` fingerprints fit without the table growing, which must
    /// wait until no thread reads it.
    func fits(_ more: Int) -> Bool {
        (count + more) * 4 <= capacity * 3
    }

    /// The memory one more fingerprint takes: none until the table must grow,
    /// then its doubled table, allocated while the old one is still held.
    var bytesToAddOne: Int {
        fits(1) ? 0 : 2 * bytes
    }

    /// Grows the table, while no thread reads it, until `more` fingerprints
    /// fit, as long as growing (the old and the doubled table held at once)
    /// stays within `budget` bytes.
    func reserve(_ more: Int, within budget: Int) {
        while !fits(more), 3 * bytes <= budget { grow() }
    }

    /// Adds `fingerprint`; false when it was already there. One thread at a
    /// time, and growing the table (when it is full) only while none reads.
    func insert(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 {
            if containsZero.load(ordering: .relaxed) { return false }
            containsZero.store(true, ordering: .relaxed)
            count += 1
            return true
        }
        if !fits(1) { grow() }
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while true {
            let held = slots[slot].load(ordering: .relaxed)
            if held == fingerprint { return false }
            if held == 0 { break }
            slot = (slot + 1) & mask
        }
        slots[slot].store(fingerprint, ordering: .relaxed)
        count += 1
        return true
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = Self.emptySlots(capacity)
        let mask = capacity - 1
        for position in 0..<oldCapacity {
            let fingerprint = old[position].load(ordering: .relaxed)
            guard fingerprint != 0 else { continue }
            var slot = Int(truncatingIfNeeded: fingerprint) & mask
            while slots[slot].load(ordering: .relaxed) != 0 { slot = (slot + 1) & mask }
            slots[slot].store(fingerprint, ordering: .relaxed)
        }
        old.deallocate()
    }
}
