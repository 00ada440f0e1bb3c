import Testing

@testable import GraphQLEngine

@Suite("Parser")
struct ParserTests {
    private func syntaxError(_ text: String, options: ParseOptions = ParseOptions()) -> GraphQLError? {
        do {
            _ = try Parser.parse(Source(text), options: options)
            return nil
        } catch {
            return error.graphQLError(in: Source(text))
        }
    }

    @Test("parses operations, fragments, variables, directives and values")
    func parsesExecutableDocument() throws {
        let document = try Parser.parse(
            """
            query Q($id: ID! = "1", $n: [Int!]) @live {
              alias: node(id: $id, filter: {a: [1, 2.5], b: ENUM, c: null}) { ...F ... on User @skip(if: true) { name } }
            }
            fragment F on Node { id }
            """)
        #expect(document.definitions.count == 2)
        let operation = try #require(document.operations.first)
        #expect(operation.name?.value == "Q")
        #expect(operation.variableDefinitions.map(\.variable.value) == ["id", "n"])
        guard case .field(let field) = operation.selectionSet.selections[0] else {
            Issue.record("expected a field")
            return
        }
        #expect(field.alias?.value == "alias")
        #expect(field.responseKey == "alias")
        #expect(field.arguments.count == 2)
        #expect(field.selectionSet?.selections.count == 2)
    }

    @Test("keeps each field's alias, name, arguments and directives, with their locations, whichever it has")
    func fieldPartsAndLocations() throws {
        let text = "{ a: b(x: 1) @skip(if: true) { c } d @include(if: false) e: f g(y: 2) ...F @x ... on T @y { h } }"
        let document = try Parser.parse(text)
        let selections = try #require(document.operations.first).selectionSet.selections
        func slice(_ location: Location) -> String {
            String(decoding: Array(text.utf8)[location.start..<location.end], as: UTF8.self)
        }
        var fields: [Field] = []
        for case .field(let field) in selections { fields.append(field) }
        #expect(fields.map(\.responseKey) == ["a", "d", "e", "g"])
        #expect(fields.map(\.name.value) == ["b", "d", "f", "g"])
        #expect(fields.map { $0.alias?.value } == ["a", nil, "e", nil])
        #expect(fields.map { $0.directives.map(\.name.value) } == [["skip"], ["include"], [], []])
        #expect(fields.map { $0.arguments.map(\.name.value) } == [["x"], [], [], ["y"]])
        #expect(fields.map { slice($0.location) } == ["a: b(x: 1) @skip(if: true) { c }", "d @include(if: false)", "e: f", "g(y: 2)"])
        #expect(fields.map { slice($0.name.location) } == ["b", "d", "f", "g"])
        #expect(fields.compactMap { $0.alias.map { slice($0.location) } } == ["a", "e"])
        #expect(fields[0].selectionSet.map { slice($0.location) } == "{ c }")
        #expect(fields[1].selectionSet == nil)
        guard case .fragmentSpread(let spread) = selections[4], case .inlineFragment(let inline) = selections[5] else {
            Issue.record("expected a spread and an inline fragment")
            return
        }
        #expect(slice(spread.location) == "...F @x")
        #expect(spread.directives.map(\.name.value) == ["x"])
        #expect(slice(inline.location) == "... on T @y { h }")
        #expect(inline.typeCondition?.value == "T")
        #expect(inline.directives.map(\.name.value) == ["y"])
    }

    @Test("keeps each selection set's own selections, in order, however sets nest and interleave")
    func nestedSelectionSetsKeepTheirSelections() throws {
        // Inner sets close before their parents: each set's run must still hold exactly its own
        // selections (fields, spreads and inline fragments mixed), in document order.
        let text = """
            {
              a { b { c d } e ...F f { g } }
              ... on Q { h { i } j }
              k(x: 1) @skip(if: false)
              ...F
            }

            fragment F on T {
              l { m { n { o } } p }
              q
            }
            """
        let document = try Parser.parse(text)
        #expect(
            Printer.print(document) == """
                {
                  a {
                    b {
                      c
                      d
                    }
                    e
                    ...F
                    f {
                      g
                    }
                  }
                  ... on Q {
                    h {
                      i
                    }
                    j
                  }
                  k(x: 1) @skip(if: false)
                  ...F
                }

                fragment F on T {
                  l {
                    m {
                      n {
                        o
                      }
                    }
                    p
                  }
                  q
                }
                """)
    }

    @Test("keeps each set's selections when more are open at once than the parse holds on its stack")
    func manyOpenSelectionsKeepTheirSets() throws {
        // 40 outer fields, then one whose set holds 40 more and a nested set of 40: up to 120
        // selections are open at once (the parse holds 64 on its stack, then moves them all).
        func names(_ prefix: String) -> [String] { (0..<40).map { "\(prefix)\($0)" } }
        let text = "{ \(names("a").joined(separator: " ")) inner { \(names("b").joined(separator: " ")) deeper { \(names("c").joined(separator: " ")) } } last }"
        let document = try Parser.parse(text)
        func fields(_ set: SelectionSet?) -> [Field] {
            guard let set else { return [] }
            return set.selections.compactMap { if case .field(let field) = $0 { field } else { nil } }
        }
        func fieldNames(_ set: SelectionSet?) -> [String] { fields(set).map(\.name.value) }
        func field(_ name: String, in set: SelectionSet?) -> Field? { fields(set).first { $0.name.value == name } }
        let root = document.operations.first?.selectionSet
        #expect(fieldNames(root) == names("a") + ["inner", "last"])
        let inner = field("inner", in: root)?.selectionSet
        #expect(fieldNames(inner) == names("b") + ["deeper"])
        #expect(fieldNames(field("deeper", in: inner)?.selectionSet) == names("c"))
    }

    @Test("a selection read from a document stays valid after the document is dropped")
    func selectionsOutliveTheirDocument() throws {
        func firstField() throws -> Field? {
            let document = try Parser.parse("{ patient(id: 1) { name { given } } }")
            guard case .field(let field) = document.operations.first?.selectionSet.selections.first else { return nil }
            return field
        }
        let field = try #require(try firstField())
        #expect(field.name.value == "patient")
        #expect(field.arguments.map(\.name.value) == ["id"])
        let inner = try #require(field.selectionSet?.selections.first)
        guard case .field(let name) = inner else {
            Issue.record("expected a field")
            return
        }
        #expect(name.responseKey == "name")
        #expect(name.selectionSet?.selections.count == 1)
    }

    @Test("a large document of few fields holds storage for its nodes, not for its size")
    func storageFollowsNodesNotBytes() throws {
        // A cached document's nodes stay in memory with it: a long string argument must not make
        // the parser reserve rows in proportion to the text.
        let document = try Parser.parse("{ a(text: \"" + String(repeating: "x", count: 200_000) + "\") { b } }")
        guard case .field(let field) = document.operations.first?.selectionSet.selections.first else {
            Issue.record("expected a field")
            return
        }
        #expect(field.nodes.fields.count == 2)
        #expect(field.nodes.fields.capacity <= 256)
        #expect(field.nodes.selections.capacity <= 512)
    }

    @Test("parses every kind of type-system definition and extension")
    func parsesTypeSystem() throws {
        let document = try Parser.parse(
            """
            "The schema" schema @d { query: Q }
            \"\"\"Block\"\"\" type A implements B & C @d { f(a: Int = 1 @d): [A!]! @deprecated }
            interface B implements C { f: Int }
            union U = | A | D
            enum E { ONE TWO @deprecated(reason: "no") }
            input I @oneOf { a: Int, b: String }
            scalar S @specifiedBy(url: "https://example.com")
            directive @d(x: Int) repeatable on FIELD_DEFINITION | OBJECT
            extend type A { g: Int }
            extend schema @d
            """)
        #expect(document.definitions.count == 10)
        guard case .directive(let directive) = document.definitions[7] else {
            Issue.record("expected a directive definition")
            return
        }
        #expect(directive.isRepeatable)
        #expect(directive.locations.map(\.value) == ["FIELD_DEFINITION", "OBJECT"])
    }

    @Test("reports syntax errors at their line and column")
    func reportsSyntaxErrors() {
        let error = self.syntaxError("{\n  field(\n}")
        #expect(error?.message == "Syntax Error: Expected Name, found \"}\".")
        #expect(error?.locations == [GraphQLEngine.SourceLocation(line: 3, column: 1)])
        #expect(self.syntaxError("{}")?.message == "Syntax Error: Expected Name, found \"}\".")
        #expect(self.syntaxError("query")?.message == "Syntax Error: Expected \"{\", found <EOF>.")
        #expect(self.syntaxError("fragment on on T { a }")?.message == "Syntax Error: Unexpected Name \"on\".")
        #expect(self.syntaxError("query Q($a: Int = $b) { a }")?.message == "Syntax Error: Unexpected variable \"$b\" in constant value.")
        #expect(self.syntaxError("enum E { true }")?.message == "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.")
    }

    @Test("rejects documents past the token limit")
    func enforcesTokenLimit() {
        let error = self.syntaxError("{ a b c d e f }", options: ParseOptions(maxTokens: 4))
        #expect(error?.message == "Syntax Error: Document contains more than 4 tokens. Parsing aborted.")
    }

    @Test("rejects deep nesting with an error instead of overflowing the stack")
    func enforcesDepthLimit() {
        let deepSelections = String(repeating: "{a", count: 100_000) + String(repeating: "}", count: 100_000)
        #expect(self.syntaxError(deepSelections)?.message.contains("nests deeper") == true)
        let deepList = "{ a(x: " + String(repeating: "[", count: 100_000) + "}"
        #expect(self.syntaxError(deepList)?.message.contains("nests deeper") == true)
        let deepType = "query ($v: " + String(repeating: "[", count: 100_000) + "}"
        #expect(self.syntaxError(deepType)?.message.contains("nests deeper") == true)
    }
}
