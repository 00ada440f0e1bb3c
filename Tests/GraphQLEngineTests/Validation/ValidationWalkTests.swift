import Testing

@testable import GraphQLEngine

@Suite("Validate: the walk's skipping of children, per rule")
struct ValidationWalkTests {
    /// Records the fields it enters and leaves; skips the children of fields named in `skip`.
    final class RecordingRule: ValidationRule {
        let hooks: ValidationHooks = [.enterField, .leaveField]
        let skip: Set<String>
        var seen: [String] = []

        init(skipping skip: Set<String>) { self.skip = skip }

        func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
            self.seen.append(field.name.value)
            return self.skip.contains(field.name.value) ? .skipChildren : .continue
        }

        func leave(_ field: Field, _ context: ValidationContext) {
            self.seen.append("/" + field.name.value)
        }
    }

    @Test("a rule that skips a node's children misses only them (and that node's leave); rules skipping at other depths, or none, see their own")
    func skipsArePerRuleAndNested() throws {
        let schema = try buildSchema("type Query { a: T, b: T } type T { c: T, d: String, e: T }")
        let source = Source("{ a { c { c { d } e { d } } d } b { c { d } } }")
        let document = try Parser.parse(source)
        let outer = RecordingRule(skipping: ["a"])
        let inner = RecordingRule(skipping: ["c"])
        let both = RecordingRule(skipping: ["a", "c"])
        let none = RecordingRule(skipping: [])
        let errors = validate(schema: schema, document: document, source: source, rules: [outer, inner, both, none])
        #expect(errors.isEmpty)
        // As in graphql-js, a rule that skipped a node's children is not called when the node is left.
        #expect(outer.seen == ["a", "b", "c", "d", "/d", "/c", "/b"])
        #expect(inner.seen == ["a", "c", "d", "/d", "/a", "b", "c", "/b"])
        #expect(both.seen == ["a", "b", "c", "/b"])
        #expect(
            none.seen == [
                "a", "c", "c", "d", "/d", "/c", "e", "d", "/d", "/e", "/c", "d", "/d", "/a", "b", "c", "d", "/d", "/c", "/b",
            ])
    }
}
