import Testing

@testable import GraphQLEngine

@Suite("Validate: Variables are in allowed positions")
struct VariablesInAllowedPositionRuleTests {
    @Test("non-null into nullable, and nullable with a default into non-null")
    func allowed() throws {
        try expectValid(
            VariablesInAllowedPositionRule(),
            "query Q($a: Int!, $b: Int = 1) { complicatedArgs { intArgField(intArg: $a) nonNullIntArgField(nonNullIntArg: $b) } }")
    }

    @Test("nullable into non-null, and a wrong type")
    func notAllowed() throws {
        try expectErrors(
            VariablesInAllowedPositionRule(),
            "query Q($a: Int, $s: String) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $a) intArgField(intArg: $s) } }",
            [
                .init("Variable \"$a\" of type \"Int\" used in position expecting type \"Int!\".", locations: [(1, 9), (1, 84)]),
                .init("Variable \"$s\" of type \"String\" used in position expecting type \"Int\".", locations: [(1, 18), (1, 108)]),
            ])
    }
}
