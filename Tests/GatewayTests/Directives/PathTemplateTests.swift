import Testing

@testable import Gateway

@Suite("Gateway: @fetch path templates")
struct PathTemplateTests {
    @Test("fills every occurrence of each placeholder, percent-encoded, and keeps other braces as text")
    func fillsPlaceholders() {
        let template = PathTemplate("/api/v1/patients/{id}/notes?limit={limit}&again={id}&raw={other}", placeholders: ["id", "limit"])
        let values = ["id": "a b/{x}", "limit": "5"]
        #expect(template.filled { values[$0] ?? "" } == "/api/v1/patients/a%20b%2F%7Bx%7D/notes?limit=5&again=a%20b%2F%7Bx%7D&raw={other}")
    }

    @Test("a path without placeholders, unclosed or nested braces, and an empty value")
    func edgeCases() {
        #expect(PathTemplate("/api/v1/patients", placeholders: []).filled { _ in "x" } == "/api/v1/patients")
        #expect(PathTemplate("/a/{id", placeholders: ["id"]).filled { _ in "x" } == "/a/{id")
        #expect(PathTemplate("/a/{b{id}}", placeholders: ["id"]).filled { _ in "7" } == "/a/{b7}")
        #expect(PathTemplate("/a/{id}", placeholders: ["id"]).filled { _ in "" } == "/a/")
    }
}
