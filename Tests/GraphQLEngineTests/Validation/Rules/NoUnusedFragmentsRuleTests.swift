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

    @Test("fragments reached through fields and inline fragments are used; a chain no operation reaches is not")
    func reachedDeep() throws {
        try expectErrors(
            NoUnusedFragmentsRule(),
            "{ dog { ... on Dog { owner { relatives { ...H1 } } } } }\nfragment H1 on Human { ...H2 }\nfragment H2 on Human { name }\n"
                + "fragment Lone on Dog { ...H3 }\nfragment H3 on Dog { name }",
            [
                .init("Fragment \"Lone\" is never used.", locations: [(4, 1)]),
                .init("Fragment \"H3\" is never used.", locations: [(5, 1)]),
            ])
    }
}
