import NIOCore

/// Hands every reply of a subscribed connection to a stream, in order (pub/sub messages arrive
/// unrequested, so they cannot be matched to commands); the stream ends with the connection.
final class RedisPushHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue
    private let continuation: AsyncStream<RESPValue>.Continuation

    init(continuation: AsyncStream<RESPValue>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.continuation.yield(self.unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.continuation.finish()
        context.close(promise: nil)
    }
}
