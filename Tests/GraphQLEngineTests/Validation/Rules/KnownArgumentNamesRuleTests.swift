import Testing

@testable import GraphQLEngine

@Suite("Validate: Known argument names")
struct KnownArgumentNamesRuleTests {
    @Test("field and directive arguments that are known")
    func known() throws {
        try expectValid(KnownArgumentNamesRule(), "{ dog { doesKnowCommand(dogCommand: SIT) @skip(if: false) } }")
    }

    @Test("unknown field and directive arguments")
    func unknown() throws {
        try expectErrors(
            KnownArgumentNamesRule(), "{ dog { doesKnowCommand(unknown: true) @skip(unless: true) } }",
            [
                .init("Unknown argument \"unknown\" on field \"Dog.doesKnowCommand\".", locations: [(1, 25)]),
                .init("Unknown argument \"unless\" on directive \"@skip\".", locations: [(1, 46)]),
            ])
    }
}
