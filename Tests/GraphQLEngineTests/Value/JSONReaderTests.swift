import Testing

@testable import GraphQLEngine

@Suite("JSONReader")
struct JSONReaderTests {
    @Test("objects nested in objects and lists keep their own members; a repeated key keeps its last value")
    func nestedObjects() throws {
        let value = try JSONReader.parse(#"{"a":{"b":1,"c":{"d":[{"e":2},{"f":3,"f":4}]},"g":5},"h":{},"a2":[]}"#)
        #expect(value == ["a": ["b": 1, "c": ["d": [["e": 2], ["f": 4]]], "g": 5], "h": [:], "a2": []])
    }

    @Test("integers stay integers, numbers with a fraction or exponent are floats, strings unescape")
    func scalars() throws {
        let value = try JSONReader.parse(#"[1, -2, 1.5, 1e3, true, false, null, "a\"b\u00e9"]"#)
        guard case .list(let items) = value else {
            Issue.record("not a list")
            return
        }
        #expect(items.count == 8)
        if case .int(1) = items[0] {} else { Issue.record("1 is not an int") }
        if case .float(1000) = items[3] {} else { Issue.record("1e3 is not a float") }
        #expect(items[7] == "a\"bé")
    }

    @Test("syntax errors name their byte offset; nesting past the limit is refused")
    func errors() {
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(#"{"a":1,}"#) }
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(#"{"a" 1}"#) }
        do {
            _ = try JSONReader.parse(#"{"a":1} x"#)
            Issue.record("trailing characters accepted")
        } catch {
            #expect(error.offset == 8)
        }
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(Array(String(repeating: "[", count: 20).utf8), maxDepth: 10) }
    }
}
