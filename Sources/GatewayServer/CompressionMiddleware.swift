import Foundation
import CompressNIO
import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// Response compression and compressed request bodies, with compress-nio (zlib):
/// - JSON responses of at least `minimumBytes` are sent gzip- or deflate-encoded when the client's
///   `Accept-Encoding` prefers one (q-values honoured, `identity` otherwise), with `Vary: Accept-Encoding`;
/// - request bodies with `Content-Encoding: gzip` or `deflate` are inflated before the routes see
///   them, refused (413) when they would inflate beyond `maxInflatedBytes` (no zip bombs).
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let minimumBytes: Int
    let maxInflatedBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        if let encoding = request.headers[.contentEncoding]?.trimmingSpacesAndTabs.lowercased(), encoding != "identity" {
            switch await self.inflate(request, encoding) {
            case .success(let body):
                var head = request.head
                head.headerFields[.contentEncoding] = nil
                head.headerFields[.contentLength] = String(body.readableBytes)
                request = Request(head: head, body: RequestBody(buffer: body))
            case .failure(let refusal):
                return refusal.response(for: request)
            }
        }
        let response = try await next(request, context)
        guard Self.isJSON(response.headers[.contentType]) else { return response }
        var vary = response
        vary.headers[.vary] = [response.headers[.vary], "Accept-Encoding"].compactMap { $0 }.joined(separator: ", ")
        guard let length = response.body.contentLength, length >= self.minimumBytes,
            let algorithm = ContentCoding.negotiate(request.headers[.acceptEncoding])
        else { return vary }
        let collector = BodyCollector()
        try await response.body.write(collector)
        var plain = collector.buffer
        guard let compressed = try? plain.compress(with: algorithm.compression) else { return vary }
        var headers = vary.headers
        headers[.contentEncoding] = algorithm.rawValue
        headers[.contentLength] = String(compressed.readableBytes)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: compressed))
    }

    private func inflate(_ request: Request, _ encoding: String) async -> Result<ByteBuffer, Refusal> {
        guard let coding = ContentCoding(rawValue: encoding) else {
            return .failure(Refusal(status: .unsupportedMediaType, message: "Content-Encoding \(encoding) is not supported; send gzip, deflate or identity."))
        }
        let compressed: ByteBuffer
        switch await request.readBody(limit: self.maxInflatedBytes) {
        case .success(let body): compressed = body
        case .failure(.tooLarge):
            return .failure(Refusal(status: .contentTooLarge, message: "The request body is larger than \(self.maxInflatedBytes) bytes."))
        case .failure(.malformed): return .failure(Refusal(status: .badRequest, message: "The request body is malformed."))
        }
        do {
            let inflated = try BodyInflater.inflate(Array(compressed.readableBytesView), coding: coding, maxSize: self.maxInflatedBytes)
            return .success(ByteBuffer(bytes: inflated))
        } catch .tooLarge {
            return .failure(Refusal(status: .contentTooLarge, message: "The request body inflates to more than \(self.maxInflatedBytes) bytes."))
        } catch {
            return .failure(Refusal(status: .badRequest, message: "The request body is not complete, valid \(encoding) data."))
        }
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        return contentType.hasPrefix("application/json") || contentType.hasPrefix("application/graphql-response+json")
            || contentType.hasPrefix("application/problem+json")
    }

    /// A refused request body, answered in the error shape of the route it was for.
    struct Refusal: Error {
        let status: HTTPResponse.Status
        let message: String

        func response(for request: Request) -> Response {
            var writer = JSONWriter(capacity: 256)
            if request.uri.path.hasPrefix("/api") {
                writer.value(["success": false, "error": ["code": "BAD_REQUEST_BODY", "message": .string(self.message)]])
            } else {
                writer.value(["errors": [["message": .string(self.message)]]])
            }
            return Response(
                status: self.status, headers: [.contentType: "application/json; charset=utf-8", .connection: "close"],
                body: .init(byteBuffer: ByteBuffer(json: writer)))
        }
    }
}

/// The content codings the gateway speaks.
enum ContentCoding: String {
    case gzip, deflate

    var compression: CompressionAlgorithm {
        switch self {
        case .gzip: .gzip()
        // RFC 9110's deflate is the zlib format (raw deflate is what some servers wrongly send).
        case .deflate: .zlib()
        }
    }

    /// The coding an `Accept-Encoding` header prefers (highest q; gzip on a tie), or `nil` for identity.
    static func negotiate(_ header: String?) -> ContentCoding? {
        guard let header else { return nil }
        var weights: [String: Double] = [:]
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingSpacesAndTabs }
            guard let name = parts.first?.lowercased(), !name.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            weights[name] = quality
        }
        let wildcard = weights["*"]
        let candidates = [ContentCoding.gzip, .deflate].map { ($0, weights[$0.rawValue] ?? wildcard ?? 0) }.filter { $0.1 > 0 }
        return candidates.max { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 == .gzip) }?.0
    }
}

/// Collects a response body written to it.
final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
