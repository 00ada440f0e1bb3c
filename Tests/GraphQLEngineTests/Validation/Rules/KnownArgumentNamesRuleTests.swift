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

    @Test("a misspelt argument: the close ones are suggested")
    func suggestions() throws {
        try expectErrors(
            KnownArgumentNamesRule(), "{ dog { doesKnowCommand(dogcommand: SIT) @skip(iff: true) } }",
            [
                .init("Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"?", locations: [(1, 25)]),
                .init("Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"?", locations: [(1, 48)]),
            ])
    }
}
