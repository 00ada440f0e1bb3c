import Testing

@testable import GraphQLEngine

@Suite("Validate: No undefined variables")
struct NoUndefinedVariablesRuleTests {
    @Test("all variables defined, also those used in fragments")
    func defined() throws {
        try expectValid(
            NoUndefinedVariablesRule(),
            "query Q($a: Boolean) { dog { ...F } } fragment F on Dog { isHouseTrained(atOtherHomes: $a) }")
    }

    @Test("variable in fragment not defined by operation")
    func undefined() throws {
        try expectErrors(
            NoUndefinedVariablesRule(),
            "query Q { dog { ...F } }\nfragment F on Dog { isHouseTrained(atOtherHomes: $a) }",
            [.init("Variable \"$a\" is not defined by operation \"Q\".", locations: [(2, 50), (1, 1)])])
    }
}
