import Foundation
import Gateway
import GraphQLEngine
import Testing

/// The gateway's schema against the insurance subgraph's SDL (`Fixtures/insurance.graphql`), as
/// written and with the changes a subgraph team might make.
@Suite("Gateway: @graphql fields are checked against the subgraph's SDL when the schema loads")
struct SubgraphSchemaCheckTests {
    static let fixtureSDL: String = {
        FileManager.default.contents(atPath: repositoryRoot + "/Fixtures/insurance.graphql").map { String(decoding: $0, as: UTF8.self) } ?? ""
    }()

    /// The errors of loading the project's schema against `sdl` as the insurance subgraph's.
    private func errors(_ sdl: String) -> [String] {
        do {
            let subgraph = try SubgraphSDL(service: "insurance", text: sdl)
            _ = try GatewaySchema(contentsOf: repositoryRoot + "/Schema", services: ServiceEndpoint.serviceNames, subgraphs: [subgraph])
            return []
        } catch let error as GatewaySchemaError {
            return error.messages
        } catch {
            return ["\(error)"]
        }
    }

    /// The fixture SDL with `old` replaced by `new` (the text must be there).
    private func changed(_ old: String, _ new: String) -> String {
        #expect(Self.fixtureSDL.contains(old))
        return Self.fixtureSDL.replacingOccurrences(of: old, with: new)
    }

    @Test("the project's schema fits the fixture subgraph")
    func fits() {
        #expect(!Self.fixtureSDL.isEmpty)
        #expect(self.errors(Self.fixtureSDL) == [])
    }

    @Test("a field the subgraph lost refuses the schema, at our field's line, naming the subgraph")
    func lostField() {
        let messages = self.errors(self.changed("  memberId: String!\n", ""))
        #expect(messages.count == 1)
        #expect(messages.first?.contains("Schema/nilecare.graphql:") == true)
        #expect(messages.first?.hasSuffix("the insurance subgraph has no field Coverage.memberId") == true)
    }

    @Test("an entity type without the @key our field sends refuses the schema")
    func lostKey() {
        let messages = self.errors(self.changed("type Patient @key(fields: \"id\") {", "type Patient @key(fields: \"id mrn\") {\n  mrn: ID!"))
        #expect(messages.count == 2)  // Patient.coverage and Patient.claims
        #expect(messages.allSatisfy { $0.contains("the insurance subgraph's Patient has no @key(fields: \"id\")") })
    }

    @Test("incompatible types: a field that became nullable, an argument that became required, an enum value we cannot send back")
    func incompatibleTypes() {
        let nullable = self.errors(self.changed("  payer: String!", "  payer: String"))
        #expect(nullable.count == 1 && nullable[0].contains("Coverage.payer is String, which Coverage.payer: String! cannot take"))
        let required = self.errors(self.changed("  claim(id: ID!): Claim", "  claim(id: ID!, region: String!): Claim"))
        #expect(required.count == 1 && required[0].contains("Query.claim requires argument region"))
        let value = self.errors(self.changed("  PAID\n", "  PAID\n  REFUNDED\n"))
        #expect(value.contains { $0.contains("enum ClaimStatus has values our schema lacks: REFUNDED") })
    }

    @Test("what the gateway reads from the subgraph's objects must be there: the key of a REST field, the owner id")
    func requiredParentFields() {
        let messages = self.errors(self.changed("  appointmentId: ID\n", ""))
        #expect(messages.contains { $0.contains("Claim.appointment reads appointmentId, which the insurance subgraph's Claim does not have") })
    }

    @Test("@graphql is checked when the schema loads: a key that is no scalar field of the parent, a key on a root field, a mutation")
    func badDirectives() {
        let schema = """
            directive @graphql(service: String!, key: String) on FIELD_DEFINITION
            type Query {
              a(id: ID!): A @graphql(service: "insurance", key: "id")
              p: P
            }
            type Mutation { m(id: ID!): A @graphql(service: "insurance") }
            type A { id: ID! }
            type P { id: ID! n: A @graphql(service: "insurance", key: "missing") o: A @graphql(service: "billing") }
            """
        do {
            _ = try GatewaySchema(sdl: [("Schema/test.graphql", schema)], services: ServiceEndpoint.serviceNames)
            Issue.record("the schema loaded")
        } catch let error as GatewaySchemaError {
            #expect(
                Set(error.messages) == [
                    "Schema/test.graphql:3:17: @graphql on Query.a: a root field is forwarded as it is: it takes no key",
                    "Schema/test.graphql:6:31: @graphql on Mutation.m: subgraph mutations are not supported: give the mutation @mutate",
                    "Schema/test.graphql:8:23: @graphql on P.n: key field \"missing\" is not an ID, String or Int field of P",
                    "Schema/test.graphql:8:75: @graphql on P.o: unknown service \"billing\" (known: business, clinical, insurance, lab, medication)",
                ])
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("a reload is checked against the subgraph SDL the schema in force was checked against")
    func reloadChecked() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nilecare-subgraph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nilecare.graphql")
        let original = try String(contentsOfFile: repositoryRoot + "/Schema/nilecare.graphql", encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        let subgraph = try SubgraphSDL(service: "insurance", text: Self.fixtureSDL)
        let initial = try GatewaySchema(contentsOf: folder.path, services: ServiceEndpoint.serviceNames, subgraphs: [subgraph])
        let client = DownstreamClient(services: ServiceEndpoint.serviceNames.map { ServiceEndpoint(name: $0, baseURL: "http://127.0.0.1:1") })
        let runtime = GatewayRuntime(GatewayExecutor(schema: initial, client: client))
        // A field the subgraph does not have, added to a subgraph type: refused, the schema in force stays.
        try original.replacingOccurrences(of: "  memberId: String!\n", with: "  memberId: String!\n  deductibleCents: Int\n")
            .write(to: file, atomically: true, encoding: .utf8)
        switch runtime.reload(from: folder.path) {
        case .success: Issue.record("the reload was accepted")
        case .failure(let error):
            #expect(error.messages.contains { $0.hasSuffix("the insurance subgraph has no field Coverage.deductibleCents") }, "\(error.messages)")
        }
        #expect(runtime.current.gatewaySchema === initial)
        try await client.shutdown()
    }

    @Test("a type comes from one source: a REST field returning a subgraph's type is refused")
    func oneSourcePerType() {
        let schema = """
            directive @fetch(service: String!, path: String!, batchParam: String, key: String, matchOn: String = "id") on FIELD_DEFINITION
            directive @graphql(service: String!, key: String) on FIELD_DEFINITION
            type Query {
              a(id: ID!): A @graphql(service: "insurance")
              b(id: ID!): A @fetch(service: "clinical", path: "/a", batchParam: "ids", key: "id")
            }
            type A { id: ID! }
            """
        do {
            _ = try GatewaySchema(sdl: [("Schema/test.graphql", schema)], services: ServiceEndpoint.serviceNames)
            Issue.record("the schema loaded")
        } catch let error as GatewaySchemaError {
            #expect(error.messages == ["Schema/test.graphql:5:17: @fetch on Query.b: returns A, which the insurance subgraph returns too: a type comes from one source"])
        } catch {
            Issue.record("\(error)")
        }
    }
}
