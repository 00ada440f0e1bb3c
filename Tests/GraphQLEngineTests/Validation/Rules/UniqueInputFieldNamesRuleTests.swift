import Testing

@testable import GraphQLEngine

@Suite("Validate: Unique input field names")
struct UniqueInputFieldNamesRuleTests {
    @Test("nested input objects with the same field names at different levels")
    func valid() throws {
        try expectValid(UniqueInputFieldNamesRule(), "{ field(arg: { f: { f: true } }) }")
    }

    @Test("duplicate input object fields")
    func duplicates() throws {
        try expectErrors(
            UniqueInputFieldNamesRule(), "{ field(arg: { f1: \"value\", f1: \"value\" }) }",
            [.init("There can be only one input field named \"f1\".", locations: [(1, 16), (1, 29)])])
    }
}
