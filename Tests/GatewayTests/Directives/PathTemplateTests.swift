import Testing

@testable import Gateway

@Suite("Gateway: downstream path templates")
struct PathTemplateTests {
    @Test("fills every occurrence of each placeholder, percent-encoded, and keeps the text between them")
    func fillsPlaceholders() throws {
        let template = try #require(PathTemplate("/api/v1/patients/{id}/notes?limit={limit}&again={id}"))
        #expect(template.placeholders == ["id", "limit", "id"])
        let values = ["id": "a b/{x}", "limit": "5"]
        #expect(template.filled { values[$0] ?? "" } == "/api/v1/patients/a%20b%2F%7Bx%7D/notes?limit=5&again=a%20b%2F%7Bx%7D")
    }

    @Test("a key is kept as it is when unreserved, and encoded byte by byte otherwise (multi-byte characters, %, commas)")
    func percentEncodesKeys() {
        #expect(percentEncode("Abc-09_.~") == "Abc-09_.~")
        #expect(percentEncode("é%,?&=") == "%C3%A9%25%2C%3F%26%3D")
        #expect(percentEncode("") == "")
    }

    @Test("a path without placeholders, a fixed path and an empty value")
    func plainPaths() throws {
        #expect(try #require(PathTemplate("/api/v1/patients")).filled { _ in "x" } == "/api/v1/patients")
        #expect(PathTemplate(fixed: "/graphql").filled { _ in "x" } == "/graphql")
        #expect(try #require(PathTemplate("/a/{id}")).filled { _ in "" } == "/a/")
    }

    @Test("refuses a path not starting with /, an unclosed, nested, stray or empty brace, a bad name, a space")
    func refusesMalformedPaths() {
        for path in ["api/{x}", "/a/{id", "/a/{b{id}}", "/a/}", "/a/{}", "/a/{i-d}", "/a b"] {
            #expect(PathTemplate(path) == nil, "\(path)")
        }
    }
}
