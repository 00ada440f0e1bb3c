import CompressNIO
import Foundation
import Gateway
import GatewayServer
import GraphQLEngine
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("GatewayServer: response compression and compressed request bodies")
struct CompressionTests {
    private func withApp(_ body: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void) async throws {
        try await withGateway { _, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            let bearer = try await TestAuth.bearer()
            try await app.test(.router) { client in try await body(client, bearer) }
        }
    }

    @Test("gzip and deflate answers decode to the same JSON as the plain one; small answers stay plain; Vary is set")
    func responses() async throws {
        try await self.withApp { client, bearer in
            let uri = "/api/v2/patients?limit=20"
            let plain = try await client.execute(uri: uri, method: .get, headers: [.authorization: bearer]) { response in
                #expect(response.headers[.contentEncoding] == nil)
                #expect(response.headers[.vary]?.contains("Accept-Encoding") == true)
                return try JSONReader.parse(Array(buffer: response.body))
            }
            for (accept, expected, algorithm) in [
                ("gzip, deflate;q=0.5", "gzip", CompressionAlgorithm.gzip()), ("gzip;q=0.2, deflate", "deflate", .zlib()),
            ] {
                try await client.execute(uri: uri, method: .get, headers: [.authorization: bearer, .acceptEncoding: accept]) { response in
                    #expect(response.headers[.contentEncoding] == expected)
                    var body = response.body
                    let inflated = try body.decompress(with: algorithm)
                    var a = try JSONReader.parse(Array(buffer: inflated))
                    var b = plain
                    // The envelope's timestamp differs between the two calls.
                    if case .object(var fields) = a { fields["meta"] = nil; a = .object(fields) }
                    if case .object(var fields) = b { fields["meta"] = nil; b = .object(fields) }
                    #expect(a == b)
                }
            }
            try await client.execute(uri: uri, method: .get, headers: [.authorization: bearer, .acceptEncoding: "gzip;q=0, identity"]) {
                #expect($0.headers[.contentEncoding] == nil)
            }
            try await client.execute(uri: "/graphql?query=%7B__typename%7D", method: .get, headers: [.acceptEncoding: "gzip"]) {
                #expect($0.headers[.contentEncoding] == nil)
            }
        }
    }

    @Test("deflate request bodies in the zlib format (RFC 9110) and raw are accepted; truncated or trailing bytes are 400")
    func deflateAndTruncation() async throws {
        try await self.withApp { client, bearer in
            let text = #"{"query":"{ patient(id: \"2\") { id } }"}"#
            let headers: HTTPFields = [.authorization: bearer, .contentType: "application/json", .accept: "application/json"]
            for algorithm in [CompressionAlgorithm.zlib(), .deflate()] {
                var query = ByteBuffer(string: text)
                var request = headers
                request[.contentEncoding] = "deflate"
                try await client.execute(uri: "/graphql", method: .post, headers: request, body: try query.compress(with: algorithm)) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""id":"2""#))
                }
            }
            var query = ByteBuffer(string: text)
            let gzipped = try query.compress(with: .gzip())
            var request = headers
            request[.contentEncoding] = "gzip"
            // Without its 8-byte trailer (CRC and length) the body is not a whole gzip stream.
            let truncated = gzipped.getSlice(at: gzipped.readerIndex, length: gzipped.readableBytes - 8) ?? ByteBuffer()
            try await client.execute(uri: "/graphql", method: .post, headers: request, body: truncated) { #expect($0.status == .badRequest) }
            var trailing = gzipped
            trailing.writeString("garbage")
            try await client.execute(uri: "/graphql", method: .post, headers: request, body: trailing) { #expect($0.status == .badRequest) }
        }
    }

    @Test("a gzip request body is accepted; a gzip bomb and an unknown coding are refused")
    func requests() async throws {
        try await self.withApp { client, bearer in
            var query = ByteBuffer(string: #"{"query":"{ patient(id: \"2\") { id } }"}"#)
            let gzipped = try query.compress(with: .gzip())
            try await client.execute(
                uri: "/graphql", method: .post,
                headers: [.authorization: bearer, .contentType: "application/json", .contentEncoding: "gzip", .accept: "application/json"], body: gzipped
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""id":"2""#))
            }
            // 64 MiB of zeros gzips to about 64 KiB; it must not be inflated past the body limit.
            var zeros = ByteBuffer(repeating: 0, count: 64 * 1024 * 1024)
            let bomb = try zeros.compress(with: .gzip())
            #expect(bomb.readableBytes < 1024 * 1024)
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json", .contentEncoding: "gzip"], body: bomb
            ) { #expect($0.status == .contentTooLarge) }
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json", .contentEncoding: "br"], body: gzipped
            ) { #expect($0.status == .unsupportedMediaType) }
        }
    }
}
