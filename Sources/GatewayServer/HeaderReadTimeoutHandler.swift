import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head does not arrive in time: from the connection's start, and
/// again from the end of each response (the next request's head is due then). A client trickling
/// header bytes (slowloris) cannot hold a connection, which an idle timeout alone allows: every byte
/// resets it.
///
/// One timer per connection, not one per request: a response's end only moves the deadline, and the
/// timer, when it fires, closes the connection if the head is overdue, re-arms for a later deadline,
/// or (a request in progress) lets the next response's end arm it again. Scheduling and cancelling a
/// timer for every request was ~5% of a cached request's CPU.
final class HeaderReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    /// When the next request head is due; `nil` while a request is read or answered.
    private var headDue: NIODeadline?
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.expectHead(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.expectHead(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = self.unwrapInboundIn(data) { self.headDue = nil }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data) { self.expectHead(context) }
        context.write(data, promise: promise)
    }

    private func expectHead(_ context: ChannelHandlerContext) {
        let due = NIODeadline.now() + self.timeout
        self.headDue = due
        if self.timer == nil { self.arm(context.eventLoop, context.channel, at: due) }
    }

    private func arm(_ eventLoop: any EventLoop, _ channel: any Channel, at deadline: NIODeadline) {
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        self.timer = eventLoop.scheduleTask(deadline: deadline) { handler.value.fired(eventLoop, channel) }
    }

    private func fired(_ eventLoop: any EventLoop, _ channel: any Channel) {
        self.timer = nil
        guard let due = self.headDue else { return }
        if NIODeadline.now() >= due {
            channel.close(promise: nil)
        } else {
            self.arm(eventLoop, channel, at: due)
        }
    }

    private func stop() {
        self.timer?.cancel()
        self.timer = nil
        self.headDue = nil
    }
}
