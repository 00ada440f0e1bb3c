import Testing

@testable import GraphQLEngine

@Suite("Validate: Unique fragment names")
struct UniqueFragmentNamesRuleTests {
    @Test("fragments named differently")
    func valid() throws {
        try expectValid(UniqueFragmentNamesRule(), "{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { name }")
    }

    @Test("fragments named the same")
    func duplicate() throws {
        try expectErrors(
            UniqueFragmentNamesRule(), "fragment A on Dog { name }\nfragment A on Dog { barks }",
            [.init("There can be only one fragment named \"A\".", locations: [(1, 10), (2, 10)])])
    }
}
