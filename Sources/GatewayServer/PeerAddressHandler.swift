import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Stamps each request head with the connection's peer address (`X-NileCare-Peer`), replacing any
/// value a client sent: routes read the client address (for per-address rate limits) from it.
final class PeerAddressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    static let field = HTTPField.Name("X-NileCare-Peer")!
    /// The connection's peer as text, formatted at its first request (not at every one).
    private var peer: String?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = self.unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let peer = self.peer ?? self.format(context.channel)
        self.peer = peer
        head.headerFields[Self.field] = peer
        context.fireChannelRead(self.wrapInboundOut(.head(head)))
    }

    private func format(_ channel: any Channel) -> String {
        (channel.parent?.remoteAddress ?? channel.remoteAddress)?.ipAddress ?? "unknown"
    }
}
