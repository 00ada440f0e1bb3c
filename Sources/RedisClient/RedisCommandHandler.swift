import NIOCore

/// One command on its way: its encoded bytes, its promise, and its deadline.
struct RedisCommand {
    let encoded: [UInt8]
    let promise: EventLoopPromise<RESPValue>
    let timeout: TimeAmount
}

/// Pipelines commands on one connection: replies come back in the order commands were written,
/// so each reply completes the oldest waiting command. A command past its deadline fails at once;
/// its reply, when it comes, is read and dropped so the order stays right.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisCommand
    typealias OutboundOut = ByteBuffer

    private final class Waiting {
        let promise: EventLoopPromise<RESPValue>
        var done = false
        var deadline: Scheduled<Void>?

        init(promise: EventLoopPromise<RESPValue>) {
            self.promise = promise
        }
    }

    private var queue = CircularBuffer<Waiting>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = self.unwrapOutboundIn(data)
        let waiting = Waiting(promise: command.promise)
        waiting.deadline = context.eventLoop.scheduleTask(in: command.timeout) {
            guard !waiting.done else { return }
            waiting.done = true
            waiting.promise.fail(RedisError.timeout)
        }
        self.queue.append(waiting)
        context.write(self.wrapOutboundOut(context.channel.allocator.buffer(bytes: command.encoded)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = self.unwrapInboundIn(data)
        guard let waiting = self.queue.popFirst() else { return }
        waiting.deadline?.cancel()
        guard !waiting.done else { return }
        waiting.done = true
        if case .error(let message) = reply {
            waiting.promise.fail(RedisError.server(message))
        } else {
            waiting.promise.succeed(reply)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failAll(error as? RedisError ?? RedisError.unavailable("\(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        while let waiting = self.queue.popFirst() {
            waiting.deadline?.cancel()
            if !waiting.done {
                waiting.done = true
                waiting.promise.fail(error)
            }
        }
    }
}
