import Testing

@testable import GraphQLEngine

@Suite("Validate: Variables are input types")
struct VariablesAreInputTypesRuleTests {
    @Test("input types are valid")
    func inputTypes() throws {
        try expectValid(VariablesAreInputTypesRule(), "query Foo($a: String, $b: [Boolean!]!, $c: ComplexInput) { dog { name } }")
    }

    @Test("output types are invalid")
    func outputTypes() throws {
        try expectErrors(
            VariablesAreInputTypesRule(), "query Foo($a: Dog, $b: [[CatOrDog!]]!) { dog { name } }",
            [
                .init("Variable \"$a\" cannot be non-input type \"Dog\".", locations: [(1, 15)]),
                .init("Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\".", locations: [(1, 24)]),
            ])
    }
}
