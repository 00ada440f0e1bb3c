import Testing

@testable import GraphQLEngine

@Suite("Validate: Scalar leafs")
struct ScalarLeafsRuleTests {
    @Test("valid scalar selection")
    func valid() throws {
        try expectValid(ScalarLeafsRule(), "{ dog { barks } }")
    }

    @Test("object type missing selection, and scalar with a selection")
    func invalid() throws {
        try expectErrors(
            ScalarLeafsRule(), "{ human }",
            [.init("Field \"human\" of type \"Human\" must have a selection of subfields. Did you mean \"human { ... }\"?", locations: [(1, 3)])])
        try expectErrors(
            ScalarLeafsRule(), "{ dog { barks { sinceWhen } } }",
            [.init("Field \"barks\" must not have a selection since type \"Boolean\" has no subfields.", locations: [(1, 15)])])
    }
}
