import Synchronization

/// One value table for the threads of a parallel search: states one thread
/// stores, another restores, so a value has one code for all of them.
///
/// Each thread codes through its own copy (`Coder`) and locks the table only
/// for a value its copy does not know, which happens a handful of times in a
/// whole search of raftsh's own servers (one per client value).
final class SharedValueTable: Sendable {
    private let table: Mutex<ValueTable>

    init(_ table: ValueTable) {
        self.table = Mutex(table)
    }

    /// Every value coded so far: what a thread restores the states of a level
    /// with, as every state of the level was stored before it began.
    var snapshot: ValueTable {
        table.withLock { $0 }
    }

    /// A thread's way to code values: its copy first, the shared table when the copy does not know one.
    struct Coder: ValueCoding {
        private(set) var local: ValueTable
        let shared: SharedValueTable

        init(_ shared: SharedValueTable) {
            self.shared = shared
            local = shared.snapshot
        }

        mutating func code(_ value: String) -> Int {
            if let known = local.knownCode(value) { return known }
            let (code, table) = shared.table.withLock { table in (table.code(value), table) }
            local = table
            return code
        }
    }
}
