import Testing

@testable import GraphQLEngine

@Suite("Validate: Anonymous operation must be alone")
struct LoneAnonymousOperationRuleTests {
    @Test("one anon operation")
    func oneAnonymous() throws {
        try expectValid(LoneAnonymousOperationRule(), "{ dog { name } } fragment F on Dog { name }")
    }

    @Test("multiple anon operations")
    func multipleAnonymous() throws {
        try expectErrors(
            LoneAnonymousOperationRule(), "{ a }\n{ b }",
            [
                .init("This anonymous operation must be the only defined operation.", locations: [(1, 1)]),
                .init("This anonymous operation must be the only defined operation.", locations: [(2, 1)]),
            ])
    }
}
