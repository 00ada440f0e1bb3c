import Testing

@testable import GraphQLEngine

@Suite("Validate: Directives are unique per location")
struct UniqueDirectivesPerLocationRuleTests {
    @Test("repeatable directives may repeat")
    func repeatable() throws {
        try expectValid(UniqueDirectivesPerLocationRule(), "{ dog @repeatable @repeatable { name } }")
    }

    @Test("duplicate directives in one location")
    func duplicates() throws {
        try expectErrors(
            UniqueDirectivesPerLocationRule(), "{ dog @onField @onField { name } }",
            [.init("The directive \"@onField\" can only be used once at this location.", locations: [(1, 7), (1, 16)])])
    }
}
