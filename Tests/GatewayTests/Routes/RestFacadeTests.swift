import FixtureServices
import Foundation
import Gateway
import GatewayServer
import GraphQLEngine
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("GatewayServer: REST v1/v2 facades generated from the schema")
struct RestFacadeTests {
    private func withApp(_ body: @escaping @Sendable (FixtureHarness, any TestClientProtocol, String) async throws -> Void) async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            let bearer = try await TestAuth.bearer()
            try await app.test(.router) { client in try await body(fixtures, client, bearer) }
        }
    }

    private static func json(_ body: ByteBuffer) throws -> Value { try JSONReader.parse(Array(buffer: body)) }

    @Test("v1 and v2 serve the same data at once, each in its envelope; /api picks by X-API-Version")
    func versions() async throws {
        try await self.withApp { _, client, bearer in
            let v1 = try await client.execute(uri: "/api/v1/patients/3", method: .get, headers: [.authorization: bearer]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("Deprecation")!] == "true")
                #expect(response.headers[HTTPField.Name("Sunset")!] != nil)
                return try Self.json(response.body)
            }
            #expect(v1["success"] == true && v1["count"] == 1)
            let v2 = try await client.execute(uri: "/api/v2/patients/3", method: .get, headers: [.authorization: bearer]) { response in
                #expect(response.headers[HTTPField.Name("Deprecation")!] == nil)
                return try Self.json(response.body)
            }
            #expect(v2["data"] == v1["data"])
            #expect(v2["meta"]?["version"] == "v2")
            #expect(v2["data"]?["firstName"] != nil && v2["data"]?["appointments"] == nil)
            let picked = try await client.execute(
                uri: "/api/patients/3", method: .get, headers: [.authorization: bearer, HTTPField.Name("X-API-Version")!: "v2"]
            ) { try Self.json($0.body) }
            #expect(picked["meta"]?["version"] == "v2")
            try await client.execute(uri: "/api/patients/3", method: .get, headers: [.authorization: bearer, HTTPField.Name("X-API-Version")!: "v9"]) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("supported: v1, v2"))
            }
            let defaulted = try await client.execute(uri: "/api/patients/3", method: .get, headers: [.authorization: bearer]) { try Self.json($0.body) }
            #expect(defaulted["count"] == 1)
        }
    }

    @Test("subgraph fields are REST like any other: a coverage route, a patient's coverage sub-resource, nested fields across sources")
    func subgraphFields() async throws {
        try await self.withApp { fixtures, client, bearer in
            let coverage = try await client.execute(uri: "/api/v2/patients/3/coverage", method: .get, headers: [.authorization: bearer]) { response in
                #expect(response.status == .ok)
                return try Self.json(response.body)
            }
            guard case .list(let items)? = coverage["data"], let first = items.first else {
                Issue.record("no coverage: \(coverage)")
                return
            }
            #expect(items.allSatisfy { $0["patientId"] == "3" && $0["payer"] != nil })
            let id = first["id"]?.stringValue ?? "-"
            let one = try await client.execute(
                uri: "/api/v2/coverage/\(id)?fields=payer,claims.amountCents,patient.lastName", method: .get, headers: [.authorization: bearer]
            ) { try Self.json($0.body) }
            #expect(one["data"]?["payer"] == first["payer"])
            #expect(one["data"]?["patient"]?["lastName"] != nil)
            let insurance = try await fixtures.stats(.insurance)
            #expect(insurance == ["POST /graphql _entities": 1, "POST /graphql query": 1])
        }
    }

    @Test("v2 pages and selects fields (nested too); unknown fields are a 400 naming them")
    func pagingAndFields() async throws {
        try await self.withApp { _, client, bearer in
            let page = try await client.execute(
                uri: "/api/v2/patients?page=3&limit=5&fields=id,appointments.date", method: .get, headers: [.authorization: bearer]
            ) { try Self.json($0.body) }
            #expect(page["pagination"] == ["total": 1000, "page": 3, "limit": 5, "pages": 200])
            guard case .list(let items)? = page["data"] else {
                Issue.record("no data")
                return
            }
            #expect(items.first?["id"] == "11")
            #expect(items.first?["firstName"] == nil)
            #expect(items.first?["appointments"] != nil)
            let v1 = try await client.execute(uri: "/api/v1/patients?limit=5&offset=10", method: .get, headers: [.authorization: bearer]) {
                try Self.json($0.body)
            }
            #expect(v1["count"] == 5)
            guard case .list(let v1Items)? = v1["data"] else {
                Issue.record("no data")
                return
            }
            #expect(v1Items.first?["id"] == "11")
            // An entity's fields come in the order asked for, nested lists included.
            try await client.execute(uri: "/api/v2/patients/3?fields=lastName,id,appointments.date", method: .get, headers: [.authorization: bearer]) {
                let body = String(buffer: $0.body)
                #expect(body.hasPrefix(#"{"success":true,"data":{"lastName":"#))
                #expect(body.contains(#","id":"3","appointments":[{"date":"#))
            }
            try await client.execute(uri: "/api/v2/patients/3?fields=id,ssn", method: .get, headers: [.authorization: bearer]) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(#"Unknown field \"ssn\" on Patient"#))
            }
            try await client.execute(uri: "/api/v1/patients?limit=ten", method: .get, headers: [.authorization: bearer]) { #expect($0.status == .badRequest) }
            // A parameter given twice is ambiguous: refused, in both versions, however its name is escaped.
            for uri in ["/api/v2/patients?limit=1&limit=2", "/api/v1/patients?limit=1&page=1&l%69mit=2", "/api/v2/patients/3?fields=id&fields=lastName"] {
                try await client.execute(uri: uri, method: .get, headers: [.authorization: bearer]) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(String(buffer: response.body).contains("is given more than once"), "\(uri)")
                }
            }
        }
    }

    @Test("a REST route and the equivalent GraphQL query cause the same downstream calls")
    func sameDownstreamCalls() async throws {
        try await withGateway { fixtures, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            let bearer = try await TestAuth.bearer()
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v2/patients/4?fields=id,appointments.id,medications.name", method: .get, headers: [.authorization: bearer]) {
                    #expect($0.status == .ok)
                }
            }
            let rest = try await fixtures.totals()
            _ = await executor.run(#"{ patient(id: "4") { id appointments { id } medications { name } } }"#)
            let both = try await fixtures.totals()
            #expect(both.mapValues { $0 } == rest.mapValues { $0 * 2 })
        }
    }

    @Test("errors: 401 without a token, 403 for another patient, 404 for nothing, 502 for a downstream failure; POST is 201")
    func statuses() async throws {
        try await self.withApp { fixtures, client, bearer in
            try await client.execute(uri: "/api/v1/patients/3", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try Self.json(response.body)
                #expect(body["error"]?["code"] == "UNAUTHENTICATED")
            }
            let patient = try await TestAuth.bearer(.patient, subject: "5")
            try await client.execute(uri: "/api/v1/patients/3", method: .get, headers: [.authorization: patient]) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/v1/patients/5/appointments", method: .get, headers: [.authorization: patient]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/patients/999999", method: .get, headers: [.authorization: bearer]) { #expect($0.status == .notFound) }
            fixtures.services[.lab]!.setFaults(FaultSettings(errorRate: 1))
            try await client.execute(uri: "/api/v1/patients/3/lab-orders", method: .get, headers: [.authorization: bearer]) { response in
                #expect(response.status == .badGateway)
                let body = try Self.json(response.body)
                #expect(body["success"] == false)
            }
            let created = ByteBuffer(string: #"{"patientId": "3", "providerId": "2", "date": "2026-12-04", "time": "08:30"}"#)
            try await client.execute(
                uri: "/api/v2/appointments", method: .post, headers: [.authorization: bearer, .contentType: "application/json"], body: created
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location]?.hasPrefix("/api/v2/appointments/") == true)
            }
            try await client.execute(
                uri: "/api/v2/appointments", method: .post, headers: [.authorization: bearer, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"patientId": "3"}"#)
            ) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/v2/patients/3", method: .delete, headers: [.authorization: bearer]) { #expect($0.status == .methodNotAllowed) }
        }
    }

    @Test("the OpenAPI documents describe every route, in both versions")
    func openAPI() async throws {
        try await self.withApp { _, client, _ in
            for version in ["v1", "v2"] {
                let document = try await client.execute(uri: "/openapi/\(version).json", method: .get) { try Self.json($0.body) }
                #expect(document["openapi"] == "3.1.0")
                let paths = document["paths"]?.objectKeys ?? []
                #expect(
                    Set(paths) == [
                        "/patients", "/patients/{id}", "/patients/{id}/appointments", "/patients/{id}/medications", "/patients/{id}/lab-orders",
                        "/appointments/{id}", "/appointments", "/coverage/{id}", "/patients/{id}/coverage",
                    ])
                #expect(document["components"]?["schemas"]?["Patient"] != nil)
                #expect((document["paths"]?["/patients/{id}"]?["get"]?["deprecated"] == true) == (version == "v1"))
            }
        }
    }
}

extension Value {
    var objectKeys: [String]? {
        if case .object(let fields) = self { return Array(fields.keys) }
        return nil
    }
}
