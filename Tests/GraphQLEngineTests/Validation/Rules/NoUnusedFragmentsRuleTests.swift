import Testing

@testable import GraphQLEngine

@Suite("Validate: No unused fragments")
struct NoUnusedFragmentsRuleTests {
    @Test("all fragment names are used, also through other fragments")
    func used() throws {
        try expectValid(NoUnusedFragmentsRule(), "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }")
    }

    @Test("contains unknown and unused fragments")
    func unused() throws {
        try expectErrors(
            NoUnusedFragmentsRule(), "{ dog { name } }\nfragment Unused on Dog { name }",
            [.init("Fragment \"Unused\" is never used.", locations: [(2, 1)])])
    }
}
