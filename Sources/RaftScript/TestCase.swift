import Foundation

/// One script of a `raftsh test` run and how it ended, as `--junit` reports it.
public struct TestCase: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        case passed
        /// Expectations that failed, each with its `FILE:LINE`.
        case failed([Diagnostic])
        /// The error that stopped the script.
        case error(Diagnostic)
        case skipped(String)
    }

    public var path: String
    public var outcome: Outcome
    public var seconds: Double = 0
}

/// JUnit XML, the format CI systems read: one `<testcase>` per script, a
/// `<failure>` per failed expectation, an `<error>` for an error, `<skipped>`
/// for a script not run.
public enum JUnitReport {
    public static func xml(_ cases: [TestCase], suite: String = "raftsh") -> String {
        func count(_ matches: (TestCase.Outcome) -> Bool) -> Int { cases.count { matches($0.outcome) } }
        let failures = count { if case .failed = $0 { true } else { false } }
        let errors = count { if case .error = $0 { true } else { false } }
        let skipped = count { if case .skipped = $0 { true } else { false } }
        let total = cases.reduce(0) { $0 + $1.seconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="\#(xmlEscaped(suite))" tests="\#(cases.count)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)" time="\#(seconds(total))">"# + "\n"
        xml += #"  <testsuite name="\#(xmlEscaped(suite))" tests="\#(cases.count)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)" time="\#(seconds(total))">"# + "\n"
        for test in cases {
            let name = (test.path as NSString).lastPathComponent
            let classname = (test.path as NSString).deletingLastPathComponent
            xml += #"    <testcase classname="\#(xmlEscaped(classname.isEmpty ? "." : classname))" name="\#(xmlEscaped(name))" file="\#(xmlEscaped(test.path))" time="\#(seconds(test.seconds))""#
            switch test.outcome {
            case .passed:
                xml += "/>\n"
            case .failed(let diagnostics):
                xml += ">\n"
                for diagnostic in diagnostics {
                    let kind = diagnostic.kind == .error ? "error" : "failure"
                    xml += #"      <\#(kind) message="\#(xmlEscaped(diagnostic.message))" type="\#(diagnostic.kind.rawValue)">\#(xmlEscaped(diagnostic.description))</\#(kind)>"# + "\n"
                }
                xml += "    </testcase>\n"
            case .error(let diagnostic):
                xml += ">\n"
                xml += #"      <error message="\#(xmlEscaped(diagnostic.message))" type="error">\#(xmlEscaped(diagnostic.description))</error>"# + "\n"
                xml += "    </testcase>\n"
            case .skipped(let reason):
                xml += ">\n"
                xml += #"      <skipped message="\#(xmlEscaped(reason))"/>"# + "\n"
                xml += "    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
