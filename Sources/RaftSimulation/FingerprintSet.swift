/// The fingerprints of the states a search has seen: open addressing with
/// linear probing over a power-of-two table, at most 3/4 full.
///
/// Fingerprints are already well-mixed 64-bit hashes, so their low bits pick
/// the slot directly instead of being hashed again as `Set` would; 8 bytes
/// per slot keeps a visited state at 11–21 bytes.
struct FingerprintSet {
    /// 0 marks an empty slot; the fingerprint 0 itself is remembered apart.
    private var slots: [UInt64] = Array(repeating: 0, count: 1 << 10)
    private var containsZero = false
    private(set) var count = 0

    /// Whether `fingerprint` is there; several threads may ask at once while none adds.
    func contains(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 { return containsZero }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while slots[slot] != 0 {
            if slots[slot] == fingerprint { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    /// The memory the table holds.
    var bytes: Int { slots.count * MemoryLayout<UInt64>.stride }

    /// The memory one more fingerprint takes: none until the table must grow,
    /// then its doubled table, allocated while the old one is still held.
    var bytesToAddOne: Int {
        (count + 1) * 4 > slots.count * 3 ? 2 * bytes : 0
    }

    /// Adds `fingerprint`; false when it was already there.
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 {
            defer { containsZero = true }
            if containsZero { return false }
            count += 1
            return true
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while slots[slot] != 0 {
            if slots[slot] == fingerprint { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = fingerprint
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for fingerprint in old where fingerprint != 0 {
            var slot = Int(truncatingIfNeeded: fingerprint) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = fingerprint
        }
    }
}
