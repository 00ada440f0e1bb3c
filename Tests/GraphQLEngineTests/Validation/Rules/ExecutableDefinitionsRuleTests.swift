import Testing

@testable import GraphQLEngine

@Suite("Validate: Executable definitions")
struct ExecutableDefinitionsRuleTests {
    @Test("with only operations and fragments")
    func valid() throws {
        try expectValid(ExecutableDefinitionsRule(), "query Foo { dog { name } } fragment F on Dog { name }")
    }

    @Test("with type definitions")
    func typeDefinitions() throws {
        try expectErrors(
            ExecutableDefinitionsRule(), "query Foo { dog { name } }\ntype Cow { name: String }\nextend schema @d",
            [
                .init("The \"Cow\" definition is not executable.", locations: [(2, 1)]),
                .init("The schema definition is not executable.", locations: [(3, 1)]),
            ])
    }
}
