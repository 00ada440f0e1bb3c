import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// The WebSocket-upgradable HTTP/1.1 channel with what its pipeline lacks until the first request
/// head is parsed (the plain channel has both from the start): a request head that does not arrive
/// within `headTimeout` closes the connection (slowloris), and a head the HTTP decoder refuses —
/// malformed, or headers past the decoder's limits — gets a 400 or 431 and a close instead of an
/// open connection that never answers. From the second request on, the channel's own handlers do this.
struct GuardedFirstRequestChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let headTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        self.inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(FirstRequestGuard(timeout: self.headTimeout), position: .after(decoder))
            return value
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await self.inner.handle(value: value, logger: logger)
    }
}

/// Sits after the HTTP decoder until the first request head has passed; then only forwards.
final class FirstRequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    /// The decoder has produced a head: the channel's own handlers take over from here.
    private var passed = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        self.deadline = context.eventLoop.scheduleTask(in: self.timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !self.passed {
            self.passed = true
            self.deadline?.cancel()
        }
        context.fireChannelRead(data)  // forwarded as it is (after an upgrade, frames pass here untouched)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !self.passed, let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        self.passed = true
        self.deadline?.cancel()
        let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: ["Connection": "close", "Content-Length": "0"])
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
