import Testing

@testable import GraphQLEngine

@Suite("Validate: Fields on correct type")
struct FieldsOnCorrectTypeRuleTests {
    @Test("object field, aliased field, meta-field on a union")
    func valid() throws {
        try expectValid(FieldsOnCorrectTypeRule(), "{ dog { name tName: name } catOrDog { __typename } }")
    }

    @Test("field not defined on the type")
    func unknownField() throws {
        try expectErrors(
            FieldsOnCorrectTypeRule(), "{ dog { meowVolume } }",
            [.init("Cannot query field \"meowVolume\" on type \"Dog\".", locations: [(1, 9)])])
    }
}
