/// Fields that a server written outside raftsh (a user's program speaking the
/// node protocol) keeps in its state or adds to its messages beyond Figure 2's:
/// raftsh does not know what they mean, so it keeps them verbatim, hands them
/// back, counts them in a state's identity and shows them.
///
/// Each value is kept as canonical JSON text (object keys sorted, no spaces),
/// so that equal values are equal strings; fields are sorted by name.
public struct OwnFields: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public var name: String
        /// The value as canonical JSON text.
        public var json: String

        public init(name: String, json: String) {
            self.name = name
            self.json = json
        }
    }

    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) {
        self.fields = fields.sorted { $0.name < $1.name }
    }

    public var isEmpty: Bool { fields.isEmpty }
}

/// Which `OwnFields` a message carries: a number into its cluster's table of
/// them (0 for none), so that an envelope holds no reference of its own. An
/// envelope is copied onto and off the network at every delivery, and a second
/// reference beside an AppendEntries' entries made each copy retain and
/// release it even for raftsh's own servers, which never add fields.
public struct OwnFieldsKey: Hashable, Sendable {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static let none = OwnFieldsKey(rawValue: 0)
}
