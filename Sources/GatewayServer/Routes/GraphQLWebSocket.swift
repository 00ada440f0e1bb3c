import Foundation
import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// The `graphql-transport-ws` protocol (graphql-ws) on a WebSocket at `/graphql`: the client sends
/// `connection_init` (its token in the payload's `Authorization`, or the upgrade request's header),
/// then `subscribe` messages; each gets `next` results and a `complete`. Queries and mutations run
/// once. Close codes as the protocol says: 4400 bad message, 4401 subscribe before the ack, 4403
/// bad token, 4408 no `connection_init` in time, 4409 an id in use, 4429 a second init.
///
/// See https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
struct GraphQLWebSocket: Sendable {
    static let subprotocol = "graphql-transport-ws"
    let runtime: GatewayRuntime
    let options: GatewayServerOptions
    /// WebSocket connections open now (past `options.maxWebSocketConnections`, upgrades are refused).
    private let open = ConnectionCount()

    /// The router the server asks whether (and how) to upgrade a request.
    func router() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/graphql") { request, _ in
            let offered = request.headers[.secWebSocketProtocol]?.split(separator: ",").map { $0.trimmingSpacesAndTabs } ?? []
            guard offered.contains(Self.subprotocol), self.open.value < self.options.maxWebSocketConnections else { return .dontUpgrade }
            return .upgrade([.secWebSocketProtocol: Self.subprotocol])
        } onUpgrade: { inbound, outbound, context in
            self.open.add(1)
            defer { self.open.add(-1) }
            let session = GraphQLWebSocketSession(
                runtime: self.runtime, options: self.options, outbound: outbound, upgradeAuthorization: context.request.headers[.authorization],
                clientAddress: context.request.headers[PeerAddressHandler.field])
            await session.run(inbound)
        }
        return router
    }
}

/// A count shared by the upgrade check and the connections.
final class ConnectionCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { self.count.load(ordering: .relaxed) }
    func add(_ delta: Int) { self.count.add(delta, ordering: .relaxed) }
}
