/// Where a line came from: a file and a line number, or the shell's prompt.
public struct SourceLocation: Hashable, Sendable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}

/// A failed expectation or an error, formatted the way compilers do.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case expectFailed = "expect failed"
        case error
    }

    public var kind: Kind
    public var location: SourceLocation?
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation?, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    /// `FILE:LINE: expect failed: …` or, at the prompt, `expect failed: …`:
    /// one line, with invisible characters written out.
    public var description: String {
        let prefix = location.map { "\($0.file):\($0.line): " } ?? ""
        return "\(prefix)\(kind.rawValue): \(message)".escapingInvisibles
    }
}
