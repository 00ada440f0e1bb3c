import Metrics
import NIOCore
import NIOPosix
import Synchronization

/// A non-blocking Redis client: a small pool of pipelined connections, made on first use and
/// re-made after a failure (commands fail fast during the back-off, so a Redis outage costs
/// requests nothing but a cache miss).
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let state = Mutex<State>(State())
    private let losses: ConnectionLossCounter

    private struct State {
        var connections: [RedisConnection?] = []
        var next = 0
        var retryAfter: ContinuousClock.Instant?
        var closed = false
    }

    public convenience init(configuration: RedisConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.init(configuration: configuration, group: group, countingLossesIn: ConnectionLossCounter())
    }

    /// A client whose lost connections are counted in `losses` (a cluster's clients share one).
    init(configuration: RedisConfiguration, group: any EventLoopGroup, countingLossesIn losses: ConnectionLossCounter) {
        self.configuration = configuration
        self.group = group
        self.losses = losses
        self.state.withLock { $0.connections = Array(repeating: nil, count: configuration.poolSize) }
    }

    public func send(_ command: [[UInt8]]) async throws(RedisError) -> RESPValue {
        try await self.pipeline([command])[0].get()
    }

    /// Connections closed so far (see `RedisCommandRunner.connectionsLost`).
    public var connectionsLost: Int { self.losses.count }

    /// Writes several commands on one connection in one flush; replies in order.
    public func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        let connection = try await self.connection()
        let started = ContinuousClock.now
        let results = try await connection.pipeline(commands)
        RedisMetrics.roundTrip(commands, ContinuousClock.now - started)
        if case .failure(let error)? = results.first(where: { if case .failure = $0 { true } else { false } }),
            error == .connectionClosed
        {
            self.discard(connection)
        }
        return results
    }

    /// Whether Redis answers `PING`.
    public func ping() async -> Bool {
        (try? await self.send([Array("PING".utf8)])) == .simpleString("PONG")
    }

    public func shutdown() async {
        let connections = self.state.withLock { state in
            state.closed = true
            let connections = state.connections.compactMap { $0 }
            state.connections = Array(repeating: nil, count: state.connections.count)
            return connections
        }
        for connection in connections { await connection.close() }
    }

    private func connection() async throws(RedisError) -> RedisConnection {
        let (slot, existing, retryAfter, closed) = self.state.withLock { state in
            let slot = state.next
            state.next = (state.next + 1) % state.connections.count
            return (slot, state.connections[slot], state.retryAfter, state.closed)
        }
        if closed { throw .unavailable("client shut down") }
        if let existing, existing.isActive { return existing }
        if let retryAfter, ContinuousClock.now < retryAfter { throw .unavailable("reconnecting") }
        do {
            let connection = try await RedisConnection.connect(self.configuration, group: self.group)
            let losses = self.losses
            connection.channel.closeFuture.whenComplete { _ in losses.increment() }
            let stale = self.state.withLock { state -> RedisConnection? in
                let previous = state.connections[slot]
                state.connections[slot] = connection
                state.retryAfter = nil
                return previous
            }
            if let stale, stale !== connection { await stale.close() }
            return connection
        } catch {
            self.state.withLock { $0.retryAfter = ContinuousClock.now + self.configuration.reconnectBackoff }
            throw error
        }
    }

    private func discard(_ connection: RedisConnection) {
        self.state.withLock { state in
            for index in state.connections.indices where state.connections[index] === connection {
                state.connections[index] = nil
            }
        }
    }
}

/// A count of connections closed, shared by the clients that add to it.
final class ConnectionLossCounter: Sendable {
    private let value = Atomic<Int>(0)

    var count: Int { self.value.load(ordering: .acquiring) }

    func increment() { self.value.add(1, ordering: .releasing) }
}
