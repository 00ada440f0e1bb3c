import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi/v1.json`, `GET /openapi/v2.json` (generated from the schema) and `GET /api/docs`,
/// a readable reference of both versions.
struct OpenAPIRoutes: Sendable {
    let executor: GatewayExecutor

    func register(on router: Router<BasicRequestContext>) {
        for version in RestVersion.allCases {
            let document = OpenAPIDocument.make(self.executor.gatewaySchema, version: version)
            var writer = JSONWriter(capacity: 32 * 1024)
            writer.value(document)
            let bytes = writer.bytes
            router.get(RouterPath("/openapi/\(version.rawValue).json")) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        let page = APIReferencePage.html(self.executor.gatewaySchema)
        router.get("/api/docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }
}
