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
}
