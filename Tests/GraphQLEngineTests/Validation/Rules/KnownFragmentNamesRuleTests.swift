import Testing

@testable import GraphQLEngine

@Suite("Validate: Known fragment names")
struct KnownFragmentNamesRuleTests {
    @Test("known fragment names are valid")
    func known() throws {
        try expectValid(KnownFragmentNamesRule(), "{ dog { ...F } } fragment F on Dog { name }")
    }

    @Test("unknown fragment names are invalid")
    func unknown() throws {
        try expectErrors(
            KnownFragmentNamesRule(), "{ dog { ...Missing } }",
            [.init("Unknown fragment \"Missing\".", locations: [(1, 12)])])
    }
}
