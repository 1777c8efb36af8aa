import Testing

@testable import RaftNode

@Suite(.timeLimit(.minutes(3)))
struct JSONTests {
    @Test func valuesRoundTripAsCanonicalText() throws {
        let text = #"{"b":[1,-2,3.5,true,false,null],"a":{"y":"é\n\"q\"","x":{}},"c":[]}"#
        let value = try JSONParser.parse(text)
        // Keys come out sorted, so equal values are equal text.
        #expect(JSONWriter.text(value) == #"{"a":{"x":{},"y":"é\n\"q\""},"b":[1,-2,3.5,true,false,null],"c":[]}"#)
        #expect(try JSONParser.parse(JSONWriter.text(value)) == value)
        #expect(value["b"] == .array([.int(1), .int(-2), .double(3.5), .bool(true), .bool(false), .null]))
    }

    @Test func aRepeatedKeyKeepsItsLastValue() throws {
        #expect(try JSONParser.parse(#"{"k":1,"k":2}"#) == .object([JSON.Member("k", .int(2))]))
    }

    @Test func escapesAndSurrogatePairsAreDecoded() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00\/\t""#) == .string("é😀/\t"))
        #expect(JSONWriter.text(.string("\u{01}")) == #""\u0001""#)
    }

    @Test func numbersBeyondAnIntAreDoubles() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int.max))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONParser.parse("1e3") == .double(1000))
    }

    @Test(arguments: [
        "", "{", "[1,]", #"{"a":1,}"#, "tru", "01", "1.", "-", #""abc"#, "\"a\u{01}b\"", #"{"a" 1}"#, "[1] x",
        #""\ud800""#, #""\x""#, "{'a':1}", "NaN",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func invalidUTF8AndDeepNestingAreRefusedWithoutCrashing() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }
}
