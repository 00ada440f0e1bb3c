import Foundation
import Gateway
import GraphQLEngine
import Testing

@Suite("Gateway: schema directives are checked when the schema loads")
struct SchemaDirectiveTests {
    private func errors(_ sdl: String) -> [String] {
        do {
            _ = try GatewaySchema(sdl: [("Schema/test.graphql", sdl)], services: ServiceEndpoint.serviceNames)
            return []
        } catch let error as GatewaySchemaError {
            return error.messages
        } catch {
            return ["\(error)"]
        }
    }

    private let directives = """
        directive @fetch(service: String!, path: String!, batchParam: String, key: String, matchOn: String = "id") on FIELD_DEFINITION
        directive @mutate(service: String!, path: String!) on FIELD_DEFINITION

        """

    @Test("the project's schema loads, and its public SDL has no gateway directives")
    func projectSchemaLoads() throws {
        let schema = try GatewaySchema(contentsOf: repositoryRoot + "/Schema", services: ServiceEndpoint.serviceNames)
        #expect(!schema.publicSDL.contains("directive @fetch"))
        #expect(!schema.publicSDL.contains("@fetch(service"))
        #expect(schema.publicSDL.contains("type Patient {"))
    }

    @Test("an unknown service names the file, line and column")
    func unknownService() {
        let messages = self.errors(self.directives + #"type Query { a(id: ID!): A @fetch(service: "billing", path: "/x", batchParam: "ids", key: "id") } type A { id: ID }"#)
        #expect(messages == [#"Schema/test.graphql:3:28: @fetch on Query.a: unknown service "billing" (known: business, clinical, insurance, lab, medication)"#])
    }

    @Test("a bad path template, a placeholder that is no argument, a batch key that is no field")
    func badDirectives() {
        #expect(self.errors(self.directives + #"type Query { a: A @fetch(service: "clinical", path: "api/{x") } type A { id: ID }"#).first?.contains("bad path template") == true)
        #expect(self.errors(self.directives + #"type Query { a: A @fetch(service: "clinical", path: "/a/{nope}") } type A { id: ID }"#).first?.contains("placeholder {nope}") == true)
        let keyError = self.errors(
            self.directives + #"type Query { a: A } type A { id: ID, b: [B] @fetch(service: "lab", path: "/b", batchParam: "ids", key: "missing") } type B { id: ID }"#)
        #expect(keyError == [#"Schema/test.graphql:3:45: @fetch on A.b: batch key "missing" is not a field of A"#])
    }

    @Test("an SDL error in a second file names that file")
    func secondFile() {
        do {
            _ = try GatewaySchema(sdl: [("Schema/a.graphql", "type Query { a: Int }\n"), ("Schema/b.graphql", "\ntype B { x: Nope }\n")], services: [])
            Issue.record("expected an error")
        } catch let error as GatewaySchemaError {
            #expect(error.messages == [#"Schema/b.graphql:2:13: Unknown type "Nope"."#])
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("data under @auth cannot be cached PUBLIC: a load error at the directive's line")
    func authorizedDataIsNeverPublic() {
        let sdl = self.directives + """
            enum CacheScope { PUBLIC PRIVATE }
            enum Role { PATIENT CLINICIAN ADMIN }
            directive @cacheControl(maxAge: Int, scope: CacheScope) on OBJECT | FIELD_DEFINITION
            directive @auth(roles: [Role!]!, ownerField: String, ownerArgument: String) on OBJECT | FIELD_DEFINITION
            type Query { record(id: ID!): Record @fetch(service: "clinical", path: "/records", batchParam: "ids", key: "id") }
            type Record @cacheControl(maxAge: 60, scope: PUBLIC) @auth(roles: [CLINICIAN], ownerField: "patientId") { id: ID! patientId: ID! }
            """
        let messages = self.errors(sdl)
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("Schema/test.graphql:8:") == true)
        #expect(messages.first?.contains("cannot be cached with PUBLIC scope") == true)
        #expect(self.errors(sdl.replacingOccurrences(of: "ownerField: \"patientId\"", with: "ownerField: \"owner\"")).first?.contains("ownerField") == true)
    }
}
