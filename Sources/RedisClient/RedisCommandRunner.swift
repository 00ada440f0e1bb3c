/// What the cache needs of Redis, met by one server (`RedisClient`) or a cluster (`RedisClusterClient`).
public protocol RedisCommandRunner: Sendable {
    /// Runs one command (`[GET, key]`).
    func send(_ command: [[UInt8]]) async throws(RedisError) -> RESPValue
    /// Runs several commands in one flush per server; replies in order.
    func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [Result<RESPValue, RedisError>]
    /// The values of `keys` (null bulk strings for missing ones), in order; a cluster groups them by slot.
    func mget(_ keys: [[UInt8]]) async throws(RedisError) -> [RESPValue]
    /// Deletes `keys`; a cluster groups them by slot.
    func delete(_ keys: [[UInt8]]) async throws(RedisError)
    /// Connections that have closed so far. A server that restarts or fails over closes them
    /// all, and may come back without what it held (an invalidation's mark): callers that must
    /// notice compare this count before and after their work.
    var connectionsLost: Int { get }
    /// Whether every server answers `PING`.
    func ping() async -> Bool
    func shutdown() async
}

extension RedisCommandRunner {
    public func send(_ command: [String]) async throws(RedisError) -> RESPValue {
        try await self.send(command.map { Array($0.utf8) })
    }
}

extension RedisClient: RedisCommandRunner {
    public func mget(_ keys: [[UInt8]]) async throws(RedisError) -> [RESPValue] {
        guard !keys.isEmpty else { return [] }
        guard case .array(let values?) = try await self.send([Array("MGET".utf8)] + keys), values.count == keys.count else {
            throw .protocolError("MGET answered with the wrong shape")
        }
        return values
    }

    public func delete(_ keys: [[UInt8]]) async throws(RedisError) {
        guard !keys.isEmpty else { return }
        _ = try await self.send([Array("DEL".utf8)] + keys)
    }
}
