import Testing

@testable import GraphQLEngine

@Suite("Validate: Max introspection nodes rule")
struct MaxIntrospectionDepthRuleTests {
    @Test("default introspection depth is accepted")
    func shallow() throws {
        try expectValid(MaxIntrospectionDepthRule(), "{ __schema { types { fields { type { fields { name } } } } } }")
    }

    @Test("3 nested list fields, also through fragments, are rejected")
    func deep() throws {
        try expectErrors(
            MaxIntrospectionDepthRule(), "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
            [.init("Maximum introspection depth exceeded", locations: [(1, 3)])])
        try expectErrors(
            MaxIntrospectionDepthRule(),
            "{ __type(name: \"Dog\") { ...F } } fragment F on __Type { interfaces { interfaces { interfaces { name } } } }",
            [.init("Maximum introspection depth exceeded", locations: [(1, 3)])])
    }
}
