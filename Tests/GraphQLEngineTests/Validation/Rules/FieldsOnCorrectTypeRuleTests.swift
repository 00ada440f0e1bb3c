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
            [.init("Cannot query field \"meowVolume\" on type \"Dog\". Did you mean \"barkVolume\"?", locations: [(1, 9)])])
    }

    @Test("a field no type is close to: no suggestion")
    func unknownFieldWithoutSuggestion() throws {
        try expectErrors(
            FieldsOnCorrectTypeRule(), "{ dog { unrelatedThing } }",
            [.init("Cannot query field \"unrelatedThing\" on type \"Dog\".", locations: [(1, 9)])])
    }

    @Test("a field of some possible types of an abstract type: suggests fragments on them")
    func suggestsInlineFragments() throws {
        try expectErrors(
            FieldsOnCorrectTypeRule(), "{ catOrDog { nickname } }",
            [.init("Cannot query field \"nickname\" on type \"CatOrDog\". Did you mean to use an inline fragment on \"Cat\" or \"Dog\"?", locations: [(1, 14)])])
        try expectErrors(
            FieldsOnCorrectTypeRule(), "fragment f on Pet { barkVolume }",
            [.init("Cannot query field \"barkVolume\" on type \"Pet\". Did you mean to use an inline fragment on \"Dog\"?", locations: [(1, 21)])])
    }
}
