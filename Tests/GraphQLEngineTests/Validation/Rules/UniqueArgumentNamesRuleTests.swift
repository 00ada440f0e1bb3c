import Testing

@testable import GraphQLEngine

@Suite("Validate: Unique argument names")
struct UniqueArgumentNamesRuleTests {
    @Test("multiple field arguments")
    func unique() throws {
        try expectValid(UniqueArgumentNamesRule(), "{ dog { isAtLocation(x: 1, y: 2) } }")
    }

    @Test("duplicate field and directive arguments")
    func duplicates() throws {
        try expectErrors(
            UniqueArgumentNamesRule(), "{ dog { isAtLocation(x: 1, x: 2) @skip(if: true, if: false) } }",
            [
                .init("There can be only one argument named \"x\".", locations: [(1, 22), (1, 28)]),
                .init("There can be only one argument named \"if\".", locations: [(1, 40), (1, 50)]),
            ])
    }
}
