import Testing

@testable import GraphQLEngine

@Suite("Validate: the walk's skipping of children, per rule")
struct ValidationWalkTests {
    /// Records the fields it enters and leaves; skips the children of fields named in `skip`.
    final class RecordingRule: ValidationRule {
        let hooks: ValidationHooks
        let skip: Set<String>
        var seen: [String] = []

        init(skipping skip: Set<String>, hooks: ValidationHooks = [.enterField, .leaveField]) {
            self.skip = skip
            self.hooks = hooks
        }

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

    @Test("the narrower field hooks call a rule only for the fields they name, once each, and skip as enterField does")
    func narrowerFieldHooks() throws {
        let schema = try buildSchema("type Query { a(x: Int, y: Int): T, b: T } type T { c(x: Int): T, d: String }")
        let source = Source(
            "{ a(x: 1, y: 2) { c(x: 1) @skip(if: false) { d } nope __typename } b @include(if: true) { c { d __typename } } }")
        let document = try Parser.parse(source)
        let unknown = RecordingRule(skipping: [], hooks: [.enterUnknownField])
        let meta = RecordingRule(skipping: [], hooks: [.enterMetaField])
        let arguments = RecordingRule(skipping: ["a"], hooks: [.enterFieldWithSeveralArguments])
        let directives = RecordingRule(skipping: [], hooks: [.enterFieldWithDirectives])
        let every = RecordingRule(skipping: [], hooks: .all)
        let leavingWithArguments = RecordingRule(skipping: [], hooks: [.leaveFieldWithArguments])
        _ = validate(
            schema: schema, document: document, source: source, rules: [unknown, meta, arguments, directives, every, leavingWithArguments])
        // Left only where the definition takes arguments (`a` and both `c`), whatever the document gives.
        #expect(leavingWithArguments.seen == ["/c", "/a", "/c"])
        #expect(unknown.seen == ["nope"])
        #expect(meta.seen == ["__typename", "__typename"])
        // Skipping `a`'s children from the narrower hook: nothing below `a` has two arguments anyway,
        // and the skip ends with `a` (b is still seen by the others).
        #expect(arguments.seen == ["a"])
        #expect(directives.seen == ["c", "b"])
        // A rule with every hook (the default) sees each field once on entering and once on leaving.
        #expect(every.seen.filter { !$0.hasPrefix("/") } == ["a", "c", "d", "nope", "__typename", "b", "c", "d", "__typename"])
        #expect(every.seen.filter { $0.hasPrefix("/") }.count == 9)
    }
}
