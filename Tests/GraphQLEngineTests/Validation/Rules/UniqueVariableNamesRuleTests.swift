import Testing

@testable import GraphQLEngine

@Suite("Validate: Unique variable names")
struct UniqueVariableNamesRuleTests {
    @Test("unique variable names")
    func unique() throws {
        try expectValid(UniqueVariableNamesRule(), "query A($x: Int, $y: String) { __typename }")
    }

    @Test("duplicate variable names")
    func duplicates() throws {
        try expectErrors(
            UniqueVariableNamesRule(), "query A($x: Int, $x: String) { __typename }",
            [.init("There can be only one variable named \"$x\".", locations: [(1, 10), (1, 19)])])
    }
}
