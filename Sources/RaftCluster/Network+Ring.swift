#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Network {
    /// The memory behind the network's ring of slots, shared by copies of the
    /// network until one of them changes (copy on write).
    ///
    /// Only the slots of the sequence numbers `first..<next` hold anything; the
    /// rest is raw memory, never written until a message lands there. So growing
    /// asks the allocator to extend the block in place (`realloc`, which for a
    /// large block remaps its pages rather than copying them) and moves only the
    /// slots whose place changes: a ring of ten million messages never has two
    /// copies of itself alive, and pays only for the slots it has used, not for
    /// the capacity it has reserved.
    ///
    /// `@unchecked Sendable` and `@exclusivity(unchecked)` for the reason an
    /// array's buffer needs neither check: a network writes its ring only when it
    /// holds it alone (`Network.makeRingUnique()`), so copies of the network on
    /// other threads, or in an undo snapshot, only ever read a shared one. Every
    /// send and delivery reads these fields; a dynamic check on each would cost
    /// more than the lookup itself.
    @usableFromInline final class Ring: @unchecked Sendable {
        /// `capacity` slots, a power of two (0 for the shared empty ring).
        @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<Slot>
        @exclusivity(unchecked) private(set) var capacity: Int
        /// The sequence numbers remembered: the oldest message in flight (or the
        /// next one when none is) and the next to be sent.
        @exclusivity(unchecked) var first = 0
        @exclusivity(unchecked) var next = 0

        /// The ring of a network that has sent nothing yet, shared by all of them:
        /// the first send finds it full and grows a ring of its own.
        static let empty = Ring(capacity: 0)

        init(capacity: Int) {
            self.capacity = capacity
            base = Self.allocate(capacity)
        }

        deinit {
            for sequence in first..<next { (base + (sequence & (capacity - 1))).deinitialize(count: 1) }
            free(base)
        }

        /// A ring of `capacity` slots holding copies of this one's: for a network
        /// that shares its ring and is about to change it.
        func copy(capacity: Int) -> Ring {
            let copy = Ring(capacity: capacity)
            for sequence in first..<next {
                (copy.base + (sequence & (capacity - 1))).initialize(to: base[sequence & (self.capacity - 1)])
            }
            copy.first = first
            copy.next = next
            return copy
        }

        /// `Network.randomSequence` of a network with messages in flight.
        @usableFromInline func randomSequence(using random: inout SeededGenerator, tries: Int) -> Int {
            let first = first, span = next - first
            let base = base, mask = capacity - 1
            for _ in 0..<tries {
                let sequence = first &+ random.below(span)
                if base[sequence & mask].isInFlight { return sequence }
            }
            return first
        }

        /// Forgets every slot, keeping the memory: for a ring held by one network alone.
        func removeAll() {
            for sequence in first..<next { (base + (sequence & (capacity - 1))).deinitialize(count: 1) }
            first = 0
            next = 0
        }

        /// Doubles the capacity of a ring held by one network alone. The block is
        /// extended in place; a remembered slot moves only when its sequence number
        /// maps to the new half, which it then does by exactly the old capacity.
        func grow() {
            let old = capacity
            capacity = max(4, old * 2)
            // Slots keep their neighbours' distances in 32 bits (`Offsets`).
            precondition(capacity <= 1 << 31, "more than 2³¹ messages in flight")
            guard let grown = realloc(base, capacity * MemoryLayout<Slot>.stride) else {
                fatalError("out of memory for \(capacity) messages in flight")
            }
            base = grown.bindMemory(to: Slot.self, capacity: capacity)
            guard old > 0 else { return }
            for sequence in first..<next where sequence & old != 0 {
                (base + (sequence & (capacity - 1))).moveInitialize(from: base + (sequence & (old - 1)), count: 1)
            }
        }

        /// At least one byte, so that `malloc` never answers nil for an empty ring.
        private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Slot> {
            guard let memory = malloc(max(1, capacity * MemoryLayout<Slot>.stride)) else {
                fatalError("out of memory for \(capacity) messages in flight")
            }
            return memory.bindMemory(to: Slot.self, capacity: capacity)
        }
    }
}
