import NIOCore
import NIOPosix

/// One connection to Redis: commands are pipelined on it.
final class RedisConnection: Sendable {
    let channel: any Channel
    private let timeout: TimeAmount

    private init(channel: any Channel, timeout: TimeAmount) {
        self.channel = channel
        self.timeout = timeout
    }

    /// Connects, then authenticates and selects the database when configured.
    static func connect(_ configuration: RedisConfiguration, group: any EventLoopGroup) async throws(RedisError) -> RedisConnection {
        let timeout = TimeAmount.nanoseconds(Int64(configuration.commandTimeout.components.seconds) * 1_000_000_000
            + Int64(configuration.commandTimeout.components.attoseconds / 1_000_000_000))
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(1))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                        try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw .unavailable("\(error)")
        }
        let connection = RedisConnection(channel: channel, timeout: max(timeout, .milliseconds(1)))
        if let password = configuration.password {
            var arguments = [Array("AUTH".utf8)]
            if let username = configuration.username { arguments.append(Array(username.utf8)) }
            arguments.append(Array(password.utf8))
            _ = try await connection.send(arguments)
        }
        if configuration.database != 0 {
            _ = try await connection.send([Array("SELECT".utf8), Array(String(configuration.database).utf8)])
        }
        return connection
    }

    var isActive: Bool { self.channel.isActive }

    /// Sends one command and waits for its reply.
    func send(_ arguments: [[UInt8]]) async throws(RedisError) -> RESPValue {
        try await self.pipeline([arguments])[0].get()
    }

    /// Writes several commands in one flush; their replies come back in order.
    func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        let eventLoop = self.channel.eventLoop
        let promises = commands.map { _ in eventLoop.makePromise(of: RESPValue.self) }
        for (command, promise) in zip(commands, promises) {
            // A write that never reaches the handler (the channel closed meanwhile) fails its command:
            // otherwise nothing would ever complete it, not even its deadline, which the handler sets.
            let written = eventLoop.makePromise(of: Void.self)
            written.futureResult.whenFailure { _ in promise.fail(RedisError.connectionClosed) }
            self.channel.write(RedisCommand(encoded: encodeCommand(command), promise: promise, timeout: self.timeout), promise: written)
        }
        self.channel.flush()
        var results: [Result<RESPValue, RedisError>] = []
        results.reserveCapacity(promises.count)
        for promise in promises {
            do {
                results.append(.success(try await promise.futureResult.get()))
            } catch let error as RedisError {
                results.append(.failure(error))
            } catch {
                results.append(.failure(.unavailable("\(error)")))
            }
        }
        return results
    }

    func close() async {
        try? await self.channel.close()
    }
}
