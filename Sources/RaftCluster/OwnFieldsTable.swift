import RaftCore

/// The fields that a user's program added to messages, each distinct set kept
/// once and numbered (`OwnFieldsKey`), for the envelopes of one cluster and its
/// copies to name. Only grows: a key, once given, names the same fields in
/// every later copy of the cluster.
///
/// Not part of a cluster's identity (it compares equal to any other table):
/// what identifies a message is its key, and within one run equal fields have
/// equal keys. Empty while the servers are raftsh's own.
public struct OwnFieldsTable: Hashable, Sendable {
    /// `fields[k - 1]` are the fields of key k.
    private var fields: [OwnFields] = []
    private var keys: [OwnFields: OwnFieldsKey] = [:]

    public init() {}

    /// The key of these fields, numbering them if they are new; `.none` for none.
    public mutating func key(for own: OwnFields?) -> OwnFieldsKey {
        guard let own, !own.isEmpty else { return .none }
        if let key = keys[own] { return key }
        fields.append(own)
        let key = OwnFieldsKey(rawValue: Int32(fields.count))
        keys[own] = key
        return key
    }

    /// The fields a key names; nil for `.none`.
    public subscript(key: OwnFieldsKey) -> OwnFields? {
        key == .none ? nil : fields[Int(key.rawValue) - 1]
    }

    public static func == (lhs: OwnFieldsTable, rhs: OwnFieldsTable) -> Bool { true }

    public func hash(into hasher: inout Hasher) {}
}
