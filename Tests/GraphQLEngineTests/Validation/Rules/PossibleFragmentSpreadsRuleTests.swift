import Testing

@testable import GraphQLEngine

@Suite("Validate: Possible fragment spreads")
struct PossibleFragmentSpreadsRuleTests {
    @Test("of the same object, interface in object, object in union")
    func valid() throws {
        try expectValid(
            PossibleFragmentSpreadsRule(), "{ dog { ... on Dog { name } ... on Pet { name } } catOrDog { ... on Cat { meows } } }")
    }

    @Test("different object into object")
    func invalid() throws {
        try expectErrors(
            PossibleFragmentSpreadsRule(), "{ dog { ... on Cat { meows } } }",
            [.init("Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".", locations: [(1, 9)])])
        try expectErrors(
            PossibleFragmentSpreadsRule(), "{ dog { ...C } } fragment C on Cat { meows }",
            [.init("Fragment \"C\" cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".", locations: [(1, 9)])])
    }
}
