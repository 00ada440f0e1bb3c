import Foundation
@testable import Gateway
import GatewayServer
import GraphQLEngine
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("GatewayServer: GraphQL over HTTP")
struct GraphQLRouteTests {
    private func json(_ body: ByteBuffer) throws -> Value { try JSONReader.parse(Array(buffer: body)) }

    private func withApp(
        maxDownstreamCalls: Int = 50, cache: (any CacheStore)? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withGateway { _, executor in
            var options = ExecutionOptions()
            options.maxDownstreamCalls = maxDownstreamCalls
            let limited = GatewayExecutor(schema: executor.gatewaySchema, client: executor.client, options: options, cacheStore: cache)
            let app = Application(router: makeGatewayRouter(executor: limited, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in try await body(client) }
        }
    }

    @Test("POST with a receipt header reports downstream calls per service in extensions")
    func receipt() async throws {
        try await self.withApp { client in
            let body = ByteBuffer(string: #"{"query":"{ patients(limit: 5) { id medications { name } } }"}"#)
            try await client.execute(
                uri: "/graphql", method: .post,
                headers: [
                    .contentType: "application/json", .accept: "application/graphql-response+json", HTTPField.Name("X-NileCare-Receipt")!: "1",
                    .authorization: try await TestAuth.bearer(),
                    HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                ],
                body: body
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/graphql-response+json; charset=utf-8")
                let value = try self.json(response.body)
                #expect(value["extensions"]?["receipt"]?["downstreamCalls"] == ["clinical": 1, "medication": 1])
                #expect(value["extensions"]?["receipt"]?["levels"] == 2)
                #expect(value["extensions"]?["receipt"]?["traceId"] == "4bf92f3577b34da6a3ce929d0e0e4736")
            }
        }
    }

    @Test("an operation over the downstream-call budget is rejected before any call")
    func budget() async throws {
        try await self.withApp(maxDownstreamCalls: 2) { client in
            let body = ByteBuffer(string: #"{"query":"{ patients(limit: 5) { appointments { provider { id } patient { id } } medications { name } } }"}"#)
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json", .accept: "application/graphql-response+json"],
                body: body
            ) { response in
                #expect(response.status == .badRequest)
                let value = try self.json(response.body)
                #expect(value["data"] == nil)
                guard case .list(let errors)? = value["errors"] else { return }
                #expect(errors.first?["extensions"]?["code"] == "DOWNSTREAM_BUDGET_EXCEEDED")
            }
        }
    }

    @Test("GET runs queries and refuses mutations with 405")
    func getRequests() async throws {
        try await self.withApp { client in
            try await client.execute(uri: "/graphql?query=%7B__typename%7D", method: .get) { response in
                #expect(response.status == .ok)
                let value = try self.json(response.body)
                #expect(value == ["data": ["__typename": "Query"]])
            }
            let mutation = "mutation%20%7B%20__typename%20%7D"
            try await client.execute(uri: "/graphql?query=\(mutation)", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test("a body or parameter that is not JSON gets a 400 saying what is wrong and where")
    func unreadableJSON() async throws {
        try await self.withApp { client in
            let deep = #"{"query":"{ __typename }","variables":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
            let cases: [(body: String, says: String)] = [
                (deep, "The request body is not valid JSON: nesting too deep at byte "),
                (#"{"query": "{ __typename }""#, "The request body is not valid JSON: unexpected end of input at byte 26."),
                (#"{"query": '{ __typename }'}"#, "The request body is not valid JSON: unexpected character at byte 10."),
            ]
            for (body, says) in cases {
                try await client.execute(
                    uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest)
                    guard case .list(let errors)? = try self.json(response.body)["errors"], case .string(let message)? = errors.first?["message"] else {
                        Issue.record("no error message: \(String(buffer: response.body))")
                        return
                    }
                    #expect(message.hasPrefix(says), "\(message)")
                }
            }
            try await client.execute(uri: "/graphql?query=%7B__typename%7D&variables=%7Bx", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("The variables parameter is not valid JSON: expected a string key at byte 1."))
            }
        }
    }

    @Test("/schema.graphql serves the public SDL; /health answers")
    func schemaAndHealth() async throws {
        try await self.withApp { client in
            try await client.execute(uri: "/schema.graphql", method: .get) { response in
                let sdl = String(buffer: response.body)
                #expect(sdl.contains("type Patient {"))
                #expect(!sdl.contains("directive @fetch"))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("automatic persisted queries: unknown hash, register with the query, then the hash alone")
    func persistedQueries() async throws {
        let query = "{ patient(id: \"3\") { id firstName } }"
        let hash = SHA256Digest.hex(query)
        let bearer = try await TestAuth.bearer()
        @Sendable func request(_ body: String, _ client: any TestClientProtocol) async throws -> Value {
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json", .authorization: bearer], body: ByteBuffer(string: body)
            ) { response in try self.json(response.body) }
        }
        let extensions = #""extensions":{"persistedQuery":{"version":1,"sha256Hash":"\#(hash)"}}"#
        try await self.withApp(cache: MemoryCacheStore()) { client in
            let unknown = try await request("{\(extensions)}", client)
            guard case .list(let errors)? = unknown["errors"] else {
                Issue.record("expected errors")
                return
            }
            #expect(errors.first?["extensions"]?["code"] == "PERSISTED_QUERY_NOT_FOUND")
            let registered = try await request("{\"query\":\(Value.string(query).jsonString),\(extensions)}", client)
            #expect(registered["data"]?["patient"]?["id"] == "3")
            let byHash = try await request("{\(extensions)}", client)
            #expect(byHash["data"] == registered["data"])
            let wrong = try await request(#"{"query":"{ __typename }","# + extensions + "}", client)
            guard case .list(let mismatch)? = wrong["errors"] else {
                Issue.record("expected errors")
                return
            }
            #expect(mismatch.first?["extensions"]?["code"] == "PERSISTED_QUERY_HASH_MISMATCH")
        }
    }
}
