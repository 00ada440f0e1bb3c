import Testing

@testable import GraphQLEngine

@Suite("Validate: No unused variables")
struct NoUnusedVariablesRuleTests {
    @Test("uses all variables, also in fragments")
    func used() throws {
        try expectValid(
            NoUnusedVariablesRule(),
            "query Q($a: Boolean) { dog { ...F } } fragment F on Dog { isHouseTrained(atOtherHomes: $a) }")
    }

    @Test("variable not used")
    func unused() throws {
        try expectErrors(
            NoUnusedVariablesRule(), "query Q($a: Boolean) { dog { name } }",
            [.init("Variable \"$a\" is never used in operation \"Q\".", locations: [(1, 9)])])
    }
}
