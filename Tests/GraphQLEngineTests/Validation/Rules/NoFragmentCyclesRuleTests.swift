import Testing

@testable import GraphQLEngine

@Suite("Validate: No circular fragment spreads")
struct NoFragmentCyclesRuleTests {
    @Test("spreading twice is not circular")
    func notCircular() throws {
        try expectValid(NoFragmentCyclesRule(), "fragment A on Dog { ...B, ...B } fragment B on Dog { name }")
    }

    @Test("spreading recursively within field fails")
    func cycles() throws {
        try expectErrors(
            NoFragmentCyclesRule(), "fragment A on Human { relatives { ...A } }",
            [.init("Cannot spread fragment \"A\" within itself.", locations: [(1, 35)])])
        try expectErrors(
            NoFragmentCyclesRule(), "fragment A on Dog { ...B }\nfragment B on Dog { ...A }",
            [.init("Cannot spread fragment \"A\" within itself via \"B\".", locations: [(1, 21), (2, 21)])])
    }

    @Test("spreads deep in fields and inline fragments, chains, repeated names and unknown fragments, as graphql-core 3.2 reports them")
    func spreadsAnywhere() throws {
        try expectErrors(
            NoFragmentCyclesRule(),
            "fragment A on Dog { owner { relatives { ... on Human { pets { ... on Dog { ...B } } } } } }\nfragment B on Dog { ...A }",
            [.init("Cannot spread fragment \"A\" within itself via \"B\".", locations: [(1, 76), (2, 21)])])
        try expectErrors(
            NoFragmentCyclesRule(), "fragment A on Dog { ...B }\nfragment B on Dog { ...C ...A }\nfragment C on Dog { ...B }",
            [
                .init("Cannot spread fragment \"B\" within itself via \"C\".", locations: [(2, 21), (3, 21)]),
                .init("Cannot spread fragment \"A\" within itself via \"B\".", locations: [(1, 21), (2, 26)]),
            ])
        // A repeated name is searched once (its first definition's spreads), as graphql-js does.
        try expectErrors(
            NoFragmentCyclesRule(), "fragment A on Dog { ...A }\nfragment A on Dog { ...A }",
            [.init("Cannot spread fragment \"A\" within itself.", locations: [(1, 21)])])
        try expectErrors(
            NoFragmentCyclesRule(), "fragment A on Dog { ...Missing ...A }",
            [.init("Cannot spread fragment \"A\" within itself.", locations: [(1, 32)])])
    }
}
