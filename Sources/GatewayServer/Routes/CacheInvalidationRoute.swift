import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /admin/cache/invalidate` (admin token): drops cached entries of fields, for every replica
/// sharing the store. Body: `{"fields": ["Patient.appointments"], "key": "17"}` (no key: all keys).
struct CacheInvalidationRoute: Sendable {
    let runtime: GatewayRuntime
    let options: GatewayServerOptions

    func register(on router: Router<BasicRequestContext>) {
        router.post("/admin/cache/invalidate") { request, _ in await self.invalidate(request) }
    }

    private func invalidate(_ request: Request) async -> Response {
        guard self.options.authenticator != nil else { return Self.error(.forbidden, "FORBIDDEN", "Authentication is not configured.") }
        switch await self.options.principal(of: request) {
        case .failure(let failure): return Self.error(.unauthorized, "UNAUTHENTICATED", failure.message)
        case .success(let principal) where principal.role != .admin:
            return principal.isAuthenticated
                ? Self.error(.forbidden, "FORBIDDEN", "Only admins may invalidate the cache.")
                : Self.error(.unauthorized, "UNAUTHENTICATED", "Sign in as an admin.")
        case .success: break
        }
        let executor = self.runtime.current
        guard let cache = executor.cache else { return Self.error(.conflict, "CACHE_OFF", "This gateway runs without a cache.") }
        guard case .success(let body) = await request.readBody(limit: 64 * 1024),
            let value = try? JSONReader.parse(Array(buffer: body)), case .list(let fieldValues)? = value["fields"]
        else { return Self.error(.badRequest, "BAD_REQUEST", #"Send {"fields": ["Type.field", ...], "key": "..."} as JSON."#) }
        let fields = fieldValues.compactMap(\.stringValue)
        let schema = executor.gatewaySchema.schema
        for field in fields {
            let parts = field.split(separator: ".")
            guard fields.count == fieldValues.count, parts.count == 2, schema.type(named: String(parts[0]))?.field(String(parts[1])) != nil else {
                return Self.error(.badRequest, "BAD_REQUEST", "\(field) is not a Type.field of the schema.")
            }
        }
        let key = value["key"]?.stringValue
        let tags = fields.map { field in key.map { "\(field):\($0)" } ?? field }
        await cache.store.invalidate(tags: tags)
        var writer = JSONWriter(capacity: 128)
        writer.value(["invalidated": .list(tags.map { .string($0) })])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(json: writer)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        var writer = JSONWriter(capacity: 128)
        writer.value(["error": ["code": .string(code), "message": .string(message)]])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(json: writer)))
    }
}
