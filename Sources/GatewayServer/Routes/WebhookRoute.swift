import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /webhooks/events`: a downstream service announces an event (a lab result). Signed with
/// the shared secret (`WebhookVerifier`); accepted events go to the subscribers of every replica.
/// 202 accepted, 401 bad signature or stale timestamp, 409 replay, 413 too large, 422 bad body.
struct WebhookRoute: Sendable {
    let runtime: GatewayRuntime
    let verifier: WebhookVerifier
    let maxBodyBytes: Int

    func register(on router: Router<BasicRequestContext>) {
        router.post("/webhooks/events") { request, _ in await self.receive(request) }
    }

    private func receive(_ request: Request) async -> Response {
        guard let bus = self.runtime.current.subscriptions?.bus else {
            return CacheInvalidationRoute.error(.notImplemented, "SUBSCRIPTIONS_OFF", "This gateway does not serve subscriptions.")
        }
        let body: ByteBuffer
        switch await request.readBody(limit: self.maxBodyBytes) {
        case .success(let read): body = read
        case .failure(.tooLarge): return CacheInvalidationRoute.error(.contentTooLarge, "TOO_LARGE", "The event is larger than \(self.maxBodyBytes) bytes.")
        case .failure: return CacheInvalidationRoute.error(.badRequest, "BAD_REQUEST", "The request body is malformed.")
        }
        let outcome = await self.verifier.verify(
            body: Array(buffer: body), timestamp: request.headers[.nileCareTimestamp],
            signature: request.headers[.nileCareSignature])
        switch outcome {
        case .accepted(let event):
            await bus.publish(event)
            var writer = JSONWriter(capacity: 128)
            writer.value(["accepted": .string(event.id)])
            return Response(status: .accepted, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(json: writer)))
        case .unauthenticated(let message): return CacheInvalidationRoute.error(.unauthorized, "UNAUTHENTICATED", message)
        case .invalid(let message): return CacheInvalidationRoute.error(.unprocessableContent, "BAD_EVENT", message)
        case .replay(let message): return CacheInvalidationRoute.error(.conflict, "REPLAY", message)
        }
    }
}
