import Testing

@testable import GraphQLEngine

@Suite("Introspection")
struct IntrospectionTests {
    let schema = try! buildSchema(
        """
        "The root" type Query { pet(kind: Kind = DOG): Pet, old: Int @deprecated(reason: "gone") }
        interface Pet { name: String }
        type Dog implements Pet { name: String }
        enum Kind { DOG CAT }
        """)

    @Test("__typename, __type and __schema answer from the schema")
    func metaFields() async throws {
        let json = try await run(
            self.schema,
            """
            { __typename
              __type(name: "Pet") { kind name possibleTypes { name } }
              __schema { queryType { name description } directives { name } } }
            """)
        #expect(
            json
                == #"{"data":{"__typename":"Query","__type":{"kind":"INTERFACE","name":"Pet","possibleTypes":[{"name":"Dog"}]},"__schema":{"queryType":{"name":"Query","description":"The root"},"directives":[{"name":"include"},{"name":"skip"},{"name":"deprecated"},{"name":"specifiedBy"},{"name":"oneOf"}]}}}"#
        )
    }

    @Test("fields hide deprecated ones unless asked; default values print as literals")
    func fieldsAndDefaults() async throws {
        let json = try await run(
            self.schema,
            """
            { __type(name: "Query") {
                fields { name args { name defaultValue type { kind ofType { name } } } }
                all: fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }
            """)
        #expect(json.contains(#""fields":[{"name":"pet","args":[{"name":"kind","defaultValue":"DOG","type":{"kind":"ENUM","ofType":null}}]}]"#))
        #expect(json.contains(#"{"name":"old","isDeprecated":true,"deprecationReason":"gone"}"#))
    }

    @Test("wrapped types expose LIST and NON_NULL with ofType")
    func wrappedTypes() async throws {
        let schema = try buildSchema("type Query { ids: [ID!]! }")
        let json = try await run(schema, "{ __type(name: \"Query\") { fields { type { kind ofType { kind ofType { kind ofType { name } } } } } } }")
        #expect(json.contains(#"{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"name":"ID"}}}}"#))
    }

    @Test("OneOf input objects say so through isOneOf")
    func oneOf() async throws {
        let schema = try buildSchema("type Query { f(i: I): Int } input I @oneOf { a: Int, b: String } input J { a: Int }")
        let json = try await run(schema, "{ i: __type(name: \"I\") { isOneOf } j: __type(name: \"J\") { isOneOf } q: __type(name: \"Query\") { isOneOf } }")
        #expect(json == #"{"data":{"i":{"isOneOf":true},"j":{"isOneOf":false},"q":{"isOneOf":null}}}"#)
    }

    @Test("directives a host hides after the build stay out of introspection; each directive keeps its own arguments")
    func hiddenDirectives() async throws {
        let schema = try buildSchema(
            """
            directive @internal(reason: String, old: Int @deprecated) on FIELD_DEFINITION
            directive @shown(level: Int = 2) on FIELD_DEFINITION
            type Query { a: Int @internal @shown }
            """)
        schema.hideDirectives(["internal"])
        let json = try await run(
            schema, "{ __schema { directives { name args { name defaultValue } } } __type(name: \"Nope\") { name } }")
        #expect(!json.contains("internal"))
        #expect(json.contains(#"{"name":"shown","args":[{"name":"level","defaultValue":"2"}]}"#))
        #expect(json.contains(#"{"name":"skip","args":[{"name":"if","defaultValue":null}]}"#))
        #expect(json.hasSuffix(#""__type":null}}"#))
    }

    @Test("introspection objects are shared by executions and each reads its own type's lists")
    func repeatedExecutions() async throws {
        let query = "{ q: __type(name: \"Query\") { fields { name } interfaces { name } } p: __type(name: \"Pet\") { fields { name } possibleTypes { name } } k: __type(name: \"Kind\") { enumValues { name } fields { name } } }"
        let first = try await run(self.schema, query)
        #expect(
            first
                == #"{"data":{"q":{"fields":[{"name":"pet"}],"interfaces":[]},"p":{"fields":[{"name":"name"}],"possibleTypes":[{"name":"Dog"}]},"k":{"enumValues":[{"name":"DOG"},{"name":"CAT"}],"fields":null}}}"#
        )
        #expect(try await run(self.schema, query) == first)
    }
}
