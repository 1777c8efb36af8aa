import RaftScript
import Testing

/// One escape for every XML raftsh writes (JUnit reports, SVG charts, pages).
@Suite(.timeLimit(.minutes(3)))
struct XMLTextTests {
    @Test func markupAndWhatXMLCannotHoldAreEscaped() {
        #expect(xmlEscaped(#"a<b>&"c"'d"#) == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d")
        #expect(xmlEscaped("bell\u{7} and \u{FFFE}") == "bell\\u{7} and \\u{fffe}")
        #expect(xmlEscaped("tab\tline\nreturn\r") == "tab\tline\nreturn\r")
    }

    @Test func plainTextIsReturnedAsItIs() {
        for text in ["s1 leader term 3", "ｓ1 → s2 …", ""] {
            #expect(xmlEscaped(text) == text)
        }
    }
}
