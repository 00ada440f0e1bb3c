import NIOCore
import NIOPosix

/// A connection on which Redis pushes messages (pub/sub, tracking redirects): commands are answered
/// in order until it subscribes, then messages arrive unrequested. Authenticates when configured.
struct RedisPushConnection {
    private let channel: any Channel
    private var replies: AsyncStream<RESPValue>.Iterator

    /// Connects (and authenticates); `nil` when the server cannot be reached or refuses.
    static func open(_ configuration: RedisConfiguration, group: any EventLoopGroup) async -> RedisPushConnection? {
        let (replies, continuation) = AsyncStream.makeStream(of: RESPValue.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(1))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                        try channel.pipeline.syncOperations.addHandler(RedisPushHandler(continuation: continuation))
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            return nil
        }
        var connection = RedisPushConnection(channel: channel, replies: replies.makeAsyncIterator())
        if let password = configuration.password {
            guard await connection.call(["AUTH"] + [configuration.username].compactMap { $0 } + [password]) != nil else {
                connection.close()
                return nil
            }
        }
        return connection
    }

    /// Sends a command and reads the next reply; `nil` for an error reply or a closed connection.
    mutating func call(_ arguments: [String]) async -> RESPValue? {
        self.channel.writeAndFlush(ByteBuffer(bytes: encodeCommand(arguments.map { Array($0.utf8) })), promise: nil)
        let reply = await self.replies.next()
        if case .error? = reply { return nil }
        return reply
    }

    /// The next pushed message; `nil` once the connection is gone.
    mutating func next() async -> RESPValue? {
        await self.replies.next()
    }

    /// Reads pushed messages until the connection ends or the calling task is cancelled (which closes it).
    mutating func forEachMessage(_ body: (RESPValue) -> Void) async {
        let channel = self.channel
        await withTaskCancellationHandler {
            while let message = await self.next() { body(message) }
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    func close() {
        self.channel.close(promise: nil)
    }
}
