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
