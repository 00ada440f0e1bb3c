import Testing

@testable import GraphQLEngine

@Suite("Validate: Unique operation names")
struct UniqueOperationNamesRuleTests {
    @Test("multiple operations of different names")
    func differentNames() throws {
        try expectValid(UniqueOperationNamesRule(), "query Foo { dog { name } } query Bar { dog { name } }")
    }

    @Test("multiple operations of the same name")
    func multipleOperationsOfSameName() throws {
        try expectErrors(
            UniqueOperationNamesRule(), "query Foo { fieldA }\nquery Foo { fieldB }",
            [.init("There can be only one operation named \"Foo\".", locations: [(1, 7), (2, 7)])])
    }
}
