import Testing

@testable import GraphQLEngine

@Suite("Validate: Overlapping fields can be merged")
struct OverlappingFieldsCanBeMergedRuleTests {
    @Test("identical fields, different args with different aliases, fields on mutually exclusive types")
    func valid() throws {
        try expectValid(
            OverlappingFieldsCanBeMergedRule(),
            """
            { dog { name name a: doesKnowCommand(dogCommand: SIT) b: doesKnowCommand(dogCommand: HEEL) }
              catOrDog { ... on Dog { x: name } ... on Cat { x: nickname } } }
            """)
    }

    @Test("different fields under one alias, differing arguments, conflicts through fragments")
    func conflicts() throws {
        try expectErrors(
            OverlappingFieldsCanBeMergedRule(), "{ dog { name: nickname name } }",
            [
                .init(
                    "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional.",
                    locations: [(1, 9), (1, 24)])
            ])
        try expectErrors(
            OverlappingFieldsCanBeMergedRule(), "{ dog { doesKnowCommand(dogCommand: SIT) ...F } } fragment F on Dog { doesKnowCommand(dogCommand: HEEL) }",
            [
                .init(
                    "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional.",
                    locations: [(1, 9), (1, 71)])
            ])
    }

    @Test("reports deep conflicts with their subfields")
    func deepConflict() throws {
        try expectErrors(
            OverlappingFieldsCanBeMergedRule(), "{ dog { mother { name } mother { name: barks } } }",
            [
                .init(
                    "Fields \"mother\" conflict because subfields \"name\" conflict because \"name\" and \"barks\" are different fields. Use different aliases on the fields to fetch both if this was intentional.",
                    locations: [(1, 9), (1, 18), (1, 25), (1, 34)])
            ])
    }

    @Test("stays fast on a document with many repeated fields")
    func manyFields() throws {
        // 2,000 identical selections: quadratic comparisons, but no blow-up through fragments.
        let query = "{ dog { " + String(repeating: "name ", count: 2_000) + " } }"
        try expectValid(OverlappingFieldsCanBeMergedRule(), query)
    }

    /// Expected errors as graphql-core 3.2 reports them for the same documents.
    @Test("a set that is one fragment spread: the fragment's own conflicts and those with a parent's sibling are still found")
    func loneSpreads() throws {
        try expectValid(OverlappingFieldsCanBeMergedRule(), "{ dog { ...F } } fragment F on Dog { name barkVolume }")
        try expectErrors(
            OverlappingFieldsCanBeMergedRule(), "{ dog { ...F } } fragment F on Dog { name: nickname name }",
            [
                .init(
                    "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional.",
                    locations: [(1, 38), (1, 53)])
            ])
        try expectErrors(
            OverlappingFieldsCanBeMergedRule(), "{ a: dog { ...F } a: dog { x: barkVolume } } fragment F on Dog { x: name }",
            [
                .init(
                    "Fields \"a\" conflict because subfields \"x\" conflict because \"barkVolume\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional.",
                    locations: [(1, 3), (1, 28), (1, 19), (1, 66)])
            ])
    }

    /// Past `KeyPositions.linearSearchLimit` names or spreads a field map finds them through a
    /// table: a conflict at the 20th alias, and spreads repeated among 20 fragments, are still found
    /// once each (locations as graphql-core 3.2 reports them).
    @Test("selection sets with more names and spreads than are compared in turn")
    func manyNamesAndSpreads() throws {
        let aliases = (0..<20).map { "a\($0): name" }.joined(separator: " ")
        let spreads = (0..<20).map { "...F\($0) ...F\($0)" }.joined(separator: " ")
        let fragments = (0..<20).map { "fragment F\($0) on Dog { b\($0): barks }" }.joined(separator: " ")
        try expectValid(OverlappingFieldsCanBeMergedRule(), "{ dog { \(aliases) \(spreads) } } \(fragments)")
        try expectErrors(
            OverlappingFieldsCanBeMergedRule(), "{ dog { \(aliases) ...G \(spreads) } } fragment G on Dog { a19: nickname } \(fragments)",
            [
                .init(
                    "Fields \"a19\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional.",
                    locations: [(1, 189), (1, 488)])
            ])
    }

    /// Rules are made per validation; one instance given a second document (same rows, other
    /// fields) must not reuse the first document's field maps.
    @Test("one rule instance validating two documents checks the second on its own")
    func reusedInstance() throws {
        let rule = OverlappingFieldsCanBeMergedRule()
        func errors(_ query: String) throws -> [String] {
            let source = Source(query)
            return validate(schema: validationTestSchema, document: try Parser.parse(source), source: source, rules: [rule]).map(\.message)
        }
        #expect(try errors("{ dog { name ...F } } fragment F on Dog { name }").isEmpty)
        #expect(
            try errors("{ dog { name ...F } } fragment F on Dog { name: nickname }") == [
                "Fields \"name\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional."
            ])
    }
}
