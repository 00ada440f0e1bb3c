import Testing

@testable import GraphQLEngine

@Suite("Schema from SDL")
struct BuildSchemaTests {
    @Test("builds types, fields, arguments, enums, unions, interfaces and directives")
    func buildsSchema() throws {
        let schema = try buildSchema(
            """
            type Query { node(id: ID!): Node, search(text: String = "x"): [Result!]! }
            interface Node { id: ID! }
            type User implements Node { id: ID!, name: String @deprecated }
            type Post implements Node { id: ID!, title: String }
            union Result = User | Post
            enum Role { ADMIN USER @deprecated(reason: "use ADMIN") }
            input Filter @oneOf { byId: ID, byName: String }
            scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")
            directive @cost(weight: Int!) on FIELD_DEFINITION
            """)
        #expect(schema.queryType?.name == "Query")
        let node = try #require(schema.type(named: "Node"))
        #expect(schema.possibleTypes(of: node).map(\.name) == ["User", "Post"])
        #expect(schema.type(named: "User")?.field("name")?.deprecationReason == "No longer supported")
        #expect(schema.type(named: "Role")?.enumValue("USER")?.deprecationReason == "use ADMIN")
        #expect(schema.type(named: "Filter")?.isOneOf == true)
        #expect(schema.type(named: "Date")?.specifiedByURL == "https://tools.ietf.org/html/rfc3339")
        #expect(schema.directive(named: "cost")?.arguments.first?.type.description == "Int!")
        #expect(schema.directives.map(\.name) == ["cost", "include", "skip", "deprecated", "specifiedBy", "oneOf"])
        // Unreferenced built-in scalars are not part of the schema, as in graphql-js.
        #expect(schema.type(named: "Float") == nil)
    }

    @Test("reports every SDL error with its file, line and column")
    func reportsErrors() {
        do {
            _ = try buildSchema(
                """
                type Query { a: Missing }
                type Query { b: Int }
                interface I { f(x: Int): Int }
                type T implements I { g: Int }
                """, sourceName: "bad.graphql")
            Issue.record("expected errors")
        } catch let error as SchemaBuildError {
            let messages = error.errors.map(\.description)
            #expect(messages.contains("1:17: Unknown type \"Missing\"."))
            let duplicate = error.errors.first { $0.message == "There can be only one type named \"Query\"." }
            #expect(duplicate?.locations.map(\.description) == ["1:6", "2:6"])
            #expect(!messages.contains { $0.contains("must define one or more fields") })
            #expect(messages.contains { $0.contains("Interface field I.f expected but T does not provide it.") })
            #expect(error.description.hasPrefix("bad.graphql:"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("rejects unknown directives and directives out of place")
    func checksDirectives() {
        #expect(throws: SchemaBuildError.self) { try buildSchema("type Query { a: Int @nope }") }
        #expect(throws: SchemaBuildError.self) { try buildSchema("type Query @deprecated { a: Int }") }
    }

    @Test("prints a schema back to SDL that builds the same schema")
    func printsSchema() throws {
        let sdl = """
            \"\"\"A user\"\"\"
            type Query {
              user(id: ID!, limit: Int = 10): User
            }

            type User {
              id: ID!
              name: String @deprecated(reason: "use fullName")
              tags: [String!]!
            }
            """
        let printed = printSchema(try buildSchema(sdl))
        #expect(printed == sdl)
        #expect(printSchema(try buildSchema(printed)) == printed)
    }
}
