/// A growable buffer whose elements are moved out, not copied: what a raft
/// server sends while handling one event, in the order sent.
///
/// The cluster puts every message a server sends onto its network. Out of an
/// array it would copy each one (an AppendEntries holds a reference to the
/// leader's log, so a copy is a retain) and then destroy the array's copy, one
/// `removeLast` at a time; `removeAll(handingEachTo:)` moves each out instead,
/// and the buffer keeps its capacity for the next event. Copies of an outbox
/// share the buffer until one of them changes (copy on write); that is also why
/// it is `@unchecked Sendable` (for sendable elements), as an array is: a buffer
/// is written only by an outbox that holds it alone.
///
/// Everything is inlinable, so that a client specializes it for its element type.
///
/// The count and capacity sit in the buffer's header, always reached through a
/// pointer: `ManagedBuffer.capacity` asks the allocator on Linux, and its
/// `header` property, a class's stored property, is checked for exclusive access
/// at run time on every use.
public struct Outbox<Element>: RandomAccessCollection, ExpressibleByArrayLiteral {
    /// nil until the first message, so an empty outbox allocates nothing.
    @usableFromInline var storage: Storage?

    @inlinable
    public init() {}

    @inlinable
    public init(arrayLiteral elements: Element...) {
        for element in elements { append(element) }
    }

    @usableFromInline
    struct Header {
        @usableFromInline var count: Int
        @usableFromInline let capacity: Int

        @inlinable
        init(count: Int, capacity: Int) {
            self.count = count
            self.capacity = capacity
        }
    }

    @usableFromInline
    final class Storage: ManagedBuffer<Header, Element> {
        deinit {
            withUnsafeMutablePointers { header, slots in
                _ = slots.deinitialize(count: header.pointee.count)
            }
        }

        /// A buffer of `capacity` slots holding copies of these elements.
        @inlinable
        static func make(capacity: Int, copying source: Storage?) -> Storage {
            let count = source?.withUnsafeMutablePointerToHeader { $0.pointee.count } ?? 0
            let storage = unsafeDowncast(
                create(minimumCapacity: capacity) { _ in Header(count: count, capacity: capacity) }, to: Storage.self
            )
            if let source {
                source.withUnsafeMutablePointerToElements { from in
                    storage.withUnsafeMutablePointerToElements { $0.initialize(from: from, count: count) }
                }
            }
            return storage
        }
    }

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        guard let storage else { return 0 }
        return storage.withUnsafeMutablePointerToHeader { $0.pointee.count }
    }

    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < endIndex, "index out of range")
        return storage.unsafelyUnwrapped.withUnsafeMutablePointerToElements { $0[position] }
    }

    @inlinable
    public mutating func append(_ element: consuming Element) {
        // Initialized here, outside any closure, which could not consume the element.
        claimSlots(1).initialize(to: element)
    }

    /// Appends `count` elements, the `k`-th made by `element(k)`: a broadcast
    /// checks the buffer's uniqueness and capacity once, not once a message.
    @inlinable
    public mutating func append(count added: Int, _ element: (Int) -> Element) {
        guard added > 0 else { return }
        let slots = claimSlots(added)
        for k in 0..<added { (slots + k).initialize(to: element(k)) }
    }

    /// Counts `added` more elements and returns where the first of them goes; the
    /// caller initializes them all at once. The buffer is made this outbox's own
    /// and grown first if need be (to at least twice the count), and it stays
    /// alive meanwhile, held by `storage`.
    @inlinable @inline(__always)
    mutating func claimSlots(_ added: Int) -> UnsafeMutablePointer<Element> {
        if !isKnownUniquelyReferenced(&storage)
            || storage.unsafelyUnwrapped.withUnsafeMutablePointerToHeader({ $0.pointee.count + added > $0.pointee.capacity })
        {
            storage = Storage.make(capacity: Swift.max(4, 2 * endIndex, endIndex + added), copying: storage)
        }
        return storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, slots in
            header.pointee.count += added
            return slots + header.pointee.count - added
        }
    }

    /// Hands every element to `body`, oldest first, moved out and not copied,
    /// and leaves the outbox empty with its capacity.
    @inlinable
    public mutating func removeAll(handingEachTo body: (consuming Element) -> Void) {
        guard !isEmpty else { return }
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage.make(capacity: endIndex, copying: storage)
        }
        // The loop runs outside the closure: inside it, the buffer would be retained
        // around the calls to `body`. `storage` holds it meanwhile.
        let (count, slots) = storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, slots in
            defer { header.pointee.count = 0 }
            return (header.pointee.count, slots)
        }
        for index in 0..<count { body((slots + index).move()) }
    }

    /// Empties the outbox, keeping its capacity when no copy shares it.
    @inlinable
    public mutating func removeAll() {
        guard !isEmpty else { return }
        guard isKnownUniquelyReferenced(&storage) else {
            storage = nil
            return
        }
        storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, slots in
            _ = slots.deinitialize(count: header.pointee.count)
            header.pointee.count = 0
        }
    }

}

extension Outbox: @unchecked Sendable where Element: Sendable {}

extension Outbox: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: Outbox, rhs: Outbox) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
