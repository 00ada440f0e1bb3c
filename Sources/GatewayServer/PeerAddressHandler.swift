import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Stamps each request head with the connection's peer address (`X-NileCare-Peer`), replacing any
/// value a client sent: routes read the client address (for per-address rate limits) from it.
final class PeerAddressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    static let field = HTTPField.Name("X-NileCare-Peer")!

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = self.unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let address = context.channel.parent?.remoteAddress ?? context.channel.remoteAddress
        head.headerFields[Self.field] = address?.ipAddress ?? "unknown"
        context.fireChannelRead(self.wrapInboundOut(.head(head)))
    }
}
