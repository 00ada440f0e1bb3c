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

    @Test("a fragment's answer is remembered per depth; a cycle of fragments ends the walk")
    func fragmentsAtSeveralDepths() throws {
        // H (one list level) is fine where first spread, under none, and too deep where spread again
        // under two (`types` is not counted). graphql-core 3.2 answers the same for both documents.
        try expectErrors(
            MaxIntrospectionDepthRule(),
            "{ __schema { types { ...H fields { type { fields { type { ...H } } } } } } } fragment H on __Type { fields { name } }",
            [.init("Maximum introspection depth exceeded", locations: [(1, 3)])])
        try expectValid(MaxIntrospectionDepthRule(), "{ __schema { types { ...A } } } fragment A on __Type { ofType { ...A } name }")
    }
}
