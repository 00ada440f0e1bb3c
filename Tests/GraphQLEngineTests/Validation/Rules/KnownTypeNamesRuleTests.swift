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

    @Test("a misspelt type: the close ones are suggested, introspection types included")
    func suggestions() throws {
        try expectErrors(
            KnownTypeNamesRule(), "query Foo($a: Strin, $b: ComplexInputt) { pet { ... on Type { name } } }",
            [
                .init("Unknown type \"Strin\". Did you mean \"String\"?", locations: [(1, 15)]),
                .init("Unknown type \"ComplexInputt\". Did you mean \"ComplexInput\"?", locations: [(1, 26)]),
                .init("Unknown type \"Type\". Did you mean \"__Type\"?", locations: [(1, 56)]),
            ])
    }
}
