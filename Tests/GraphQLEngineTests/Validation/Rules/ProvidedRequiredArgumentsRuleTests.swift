import Testing

@testable import GraphQLEngine

@Suite("Validate: Provided required arguments")
struct ProvidedRequiredArgumentsRuleTests {
    @Test("all required arguments given; optional ones omitted")
    func valid() throws {
        try expectValid(
            ProvidedRequiredArgumentsRule(), "{ complicatedArgs { multipleReqs(req1: 1, req2: 2) } dog { isHouseTrained } }")
    }

    @Test("missing field and directive arguments")
    func missing() throws {
        try expectErrors(
            ProvidedRequiredArgumentsRule(), "{ complicatedArgs { multipleReqs(req2: 2) } dog @skip { name } }",
            [
                .init("Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not provided.", locations: [(1, 21)]),
                .init("Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.", locations: [(1, 49)]),
            ])
    }
}
