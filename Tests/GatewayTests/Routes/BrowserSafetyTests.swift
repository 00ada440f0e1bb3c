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
