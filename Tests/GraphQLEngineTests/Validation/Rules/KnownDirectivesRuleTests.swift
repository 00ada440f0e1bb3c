import Testing

@testable import GraphQLEngine

@Suite("Validate: Known directives")
struct KnownDirectivesRuleTests {
    @Test("with known directives in valid locations")
    func known() throws {
        try expectValid(KnownDirectivesRule(), "{ dog @include(if: true) { name @onField } }")
    }

    @Test("with unknown directive, and a directive in the wrong location")
    func unknown() throws {
        try expectErrors(
            KnownDirectivesRule(), "query Q @onField { dog @unknown(directive: \"value\") { name } }",
            [
                .init("Directive \"@onField\" may not be used on QUERY.", locations: [(1, 9)]),
                .init("Unknown directive \"@unknown\".", locations: [(1, 24)]),
            ])
    }
}
