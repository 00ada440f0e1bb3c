import FixtureServices
import Foundation
import Gateway
import GatewayServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("GatewayServer: CSRF protection, CORS, bad tokens")
struct BrowserSafetyTests {
    private func withApp(_ configure: @escaping (inout GatewayServerOptions) -> Void, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        try await withGateway { _, executor in
            var options = try await TestAuth.serverOptions()
            configure(&options)
            let app = Application(router: makeGatewayRouter(executor: executor, options: options))
            try await app.test(.router) { client in try await body(client) }
        }
    }

    @Test("with CSRF protection, a GET needs a preflight header; POST stays application/json only")
    func csrf() async throws {
        try await self.withApp({ $0.csrfProtection = true }) { client in
            let uri = "/graphql?query=%7B__typename%7D"
            try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"]) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("CSRF"))
            }
            try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json", HTTPField.Name("Apollo-Require-Preflight")!: "true"]) {
                response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "text/plain", .accept: "application/json"],
                body: ByteBuffer(string: #"{"query":"{ __typename }"}"#)
            ) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test("CORS: an allowed origin gets the headers and its preflight answered; another origin gets none")
    func cors() async throws {
        try await self.withApp({ $0.allowedOrigins = ["https://app.nilecare.example"] }) { client in
            let preflight: HTTPFields = [.origin: "https://app.nilecare.example", .accessControlRequestMethod: "POST"]
            try await client.execute(uri: "/graphql", method: .options, headers: preflight) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.nilecare.example")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            }
            try await client.execute(uri: "/graphql?query=%7B__typename%7D", method: .get, headers: [.origin: "https://evil.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test("a present but invalid token is a 401 with UNAUTHENTICATED, never an anonymous request")
    func invalidToken() async throws {
        try await self.withApp({ _ in }) { client in
            try await client.execute(
                uri: "/graphql?query=%7B__typename%7D", method: .get, headers: [.accept: "application/json", .authorization: "Bearer forged.token.here"]
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(String(buffer: response.body).contains("UNAUTHENTICATED"))
            }
        }
    }
}

@Suite("GatewayServer: the authenticated cache invalidation endpoint")
struct CacheInvalidationRouteTests {
    @Test("admins invalidate a field's entries for a key; other roles and bad bodies are refused")
    func invalidate() async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            let read = #"{ patient(id: "2") { appointments { id } } }"#
            _ = await executor.run(read)
            let warmed = try await fixtures.stats(.business)
            _ = await executor.run(read)
            #expect(try await fixtures.stats(.business) == warmed)
            let admin = try await TestAuth.bearer(.admin, subject: "ops")
            let clinician = try await TestAuth.bearer()
            try await app.test(.router) { client in
                let body = ByteBuffer(string: #"{"fields": ["Patient.appointments"], "key": "2"}"#)
                try await client.execute(uri: "/admin/cache/invalidate", method: .post, headers: [.authorization: clinician], body: body) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(uri: "/admin/cache/invalidate", method: .post, body: body) { #expect($0.status == .unauthorized) }
                try await client.execute(
                    uri: "/admin/cache/invalidate", method: .post, headers: [.authorization: admin], body: ByteBuffer(string: #"{"fields": ["Nope.x"]}"#)
                ) { #expect($0.status == .badRequest) }
                try await client.execute(uri: "/admin/cache/invalidate", method: .post, headers: [.authorization: admin], body: body) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("Patient.appointments:2"))
                }
            }
            _ = await executor.run(read)
            #expect(try await fixtures.stats(.business)["GET /api/v1/appointments?patientId"] == (warmed["GET /api/v1/appointments?patientId"] ?? 0) + 1)
        }
    }
}
