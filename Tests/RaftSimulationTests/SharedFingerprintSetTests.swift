import Dispatch
import Synchronization
import Testing

@testable import RaftSimulation

/// The parallel search's fingerprint set: what one thread adds, another may
/// already see, and what it sees is never something not added.
@Suite(.timeLimit(.minutes(3)))
struct SharedFingerprintSetTests {
    /// Fingerprints spread like hashes, and a few hundred colliding in their
    /// low bits (more make each probe walk a long run of them: minutes in a
    /// debug build).
    static func fingerprints(_ count: Int) -> [UInt64] {
        (1...UInt64(count)).map { $0.isMultiple(of: 125) ? $0 << 40 : $0 &* 0x9E37_79B9_7F4A_7C15 }
    }

    @Test func itHoldsWhatWasAddedThroughGrowingAndZero() {
        let set = SharedFingerprintSet()
        let added = Self.fingerprints(50_000)
        #expect(added.allSatisfy { set.insert($0) })
        #expect(!set.contains(0))
        #expect(set.insert(0) && !set.insert(0) && set.contains(0))
        #expect(set.count == added.count + 1)
        #expect(added.allSatisfy { set.contains($0) && !set.insert($0) })
        #expect(!set.contains(0xDEAD_BEEF_0000_0001))
        #expect(set.bytes >= set.count * 4 / 3 * MemoryLayout<UInt64>.stride)
    }

    /// One thread adds without growing the table while another asks: every
    /// answer is one of "not yet" or "there", and once added, always there.
    @Test func aReaderSeesOnlyWhatWasAdded() {
        let set = SharedFingerprintSet()
        let added = Self.fingerprints(600)  // within the first table: no growing
        let absent = Self.fingerprints(1_200).suffix(600)
        #expect(set.fits(added.count))
        let falseFinds = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 {
                for fingerprint in added { _ = set.insert(fingerprint) }
            } else {
                for _ in 0..<50 {
                    for fingerprint in absent where set.contains(fingerprint) { falseFinds.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(falseFinds.load(ordering: .relaxed) == 0)
        #expect(added.allSatisfy { set.contains($0) })
    }
}
