import Testing

@testable import GraphQLEngine

@Suite("Validate: Known type names")
struct KnownTypeNamesRuleTests {
    @Test("known type names are valid")
    func known() throws {
        try expectValid(KnownTypeNamesRule(), "query Foo($var: String) { dog { ... on Dog { name } } }")
    }

    @Test("unknown type names are invalid")
    func unknown() throws {
        try expectErrors(
            KnownTypeNamesRule(), "query Foo($var: JumbledUpLetters) { pet { ... on Badger { name } } }",
            [
                .init("Unknown type \"JumbledUpLetters\".", locations: [(1, 17)]),
                .init("Unknown type \"Badger\".", locations: [(1, 50)]),
            ])
    }
}
