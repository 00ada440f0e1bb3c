import Foundation
import Gateway
import GatewayServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("GatewayServer: HTTP caching of whole responses")
struct HTTPCachingTests {
    private func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withGateway { _, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in try await body(client) }
        }
    }

    private static func get(_ query: String) -> String {
        "/graphql?query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    @Test("Cache-Control takes the lowest maxAge and strictest scope of the data; mutations and errors are no-store")
    func cacheControl() async throws {
        try await self.withApp { client in
            let accept: HTTPFields = [.accept: "application/json"]
            try await client.execute(uri: Self.get(#"{ provider(id: "2") { lastName } }"#), method: .get, headers: accept) { response in
                #expect(response.headers[.cacheControl] == "public, max-age=3600")
            }
            let clinician: HTTPFields = [.accept: "application/json", .authorization: try await TestAuth.bearer()]
            try await client.execute(uri: Self.get(#"{ patient(id: "2") { id appointments { provider { lastName } } } }"#), method: .get, headers: clinician) {
                response in
                #expect(response.headers[.cacheControl] == "private, max-age=60")
            }
            try await client.execute(uri: Self.get("{ __typename }"), method: .get, headers: accept) { response in
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let mutation = #"{"query":"mutation { createPatient(input: {firstName: \"Ama\", lastName: \"Boateng\", dateOfBirth: \"1990-01-01\"}) { id } }"}"#
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json", .accept: "application/json", .authorization: try await TestAuth.bearer()],
                body: ByteBuffer(string: mutation)
            ) { response in
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test("GET answers carry an ETag; a matching If-None-Match gets 304 without a body")
    func entityTags() async throws {
        try await self.withApp { client in
            let uri = Self.get(#"{ provider(id: "3") { id lastName } }"#)
            let tag = try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"]) { response in
                #expect(response.status == .ok)
                return try #require(response.headers[.eTag])
            }
            #expect(tag.hasPrefix("W/\""))
            try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json", .ifNoneMatch: tag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json", .ifNoneMatch: "W/\"other\""]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == tag)
            }
        }
    }
}
