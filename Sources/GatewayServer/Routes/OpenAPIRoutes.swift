import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi/v1.json`, `GET /openapi/v2.json` (generated from the schema) and `GET /api/docs`,
/// a readable reference of both versions.
struct OpenAPIRoutes: Sendable {
    let runtime: GatewayRuntime
    var servesDocuments = true
    var servesReference = true

    func register(on router: Router<BasicRequestContext>) {
        for version in RestVersion.allCases where self.servesDocuments {
            router.get(RouterPath("/openapi/\(version.rawValue).json")) { _, _ in
                var writer = JSONWriter(capacity: 32 * 1024)
                writer.value(OpenAPIDocument.make(self.runtime.current.gatewaySchema, version: version))
                return Response(
                    status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(json: writer)))
            }
        }
        guard self.servesReference else { return }
        router.get("/api/docs") { _, _ in
            let page = APIReferencePage.html(self.runtime.current.gatewaySchema)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }
}
