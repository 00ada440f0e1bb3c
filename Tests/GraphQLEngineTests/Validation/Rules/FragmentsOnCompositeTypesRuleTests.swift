import Testing

@testable import GraphQLEngine

@Suite("Validate: Fragments on composite types")
struct FragmentsOnCompositeTypesRuleTests {
    @Test("object, interface and union are valid fragment types")
    func composite() throws {
        try expectValid(
            FragmentsOnCompositeTypesRule(), "fragment A on Dog { name } fragment B on Pet { name } fragment C on CatOrDog { __typename }")
    }

    @Test("scalar is an invalid fragment type")
    func scalar() throws {
        try expectErrors(
            FragmentsOnCompositeTypesRule(), "fragment scalarFragment on Boolean { bad }",
            [.init("Fragment \"scalarFragment\" cannot condition on non composite type \"Boolean\".", locations: [(1, 28)])])
    }
}
