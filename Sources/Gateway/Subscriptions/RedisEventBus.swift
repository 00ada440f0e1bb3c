import Foundation
import Logging
import RedisClient
import Synchronization

/// Events shared by every replica through Redis pub/sub: a replica delivers its own events to its
/// subscribers at once and publishes them on `nc:events:<topic>`; it hears the others' through one
/// `PSUBSCRIBE nc:events:*` connection.
///
/// Pub/sub rather than streams: an event is a notification to whoever listens now (nothing to keep,
/// no consumer groups to trim), it reaches every replica with one `PUBLISH` (in a Cluster too), and
/// no PHI stays in Redis. The cost is at-most-once delivery: while a replica's connection is down,
/// the other replicas' events published meanwhile are lost to its subscribers (its own still reach
/// them); `isConnected` and `/ready` say so, and the connection comes back by itself.
///
/// The entity an event carries is PHI: it is sealed (AES-256-GCM, bound to the channel) with the
/// cache's keys before it leaves the process.
public final class RedisEventBus: EventBus {
    public static let channelPrefix = "nc:events:"
    private let local: LocalEventBus
    private let redis: any RedisCommandRunner
    private let sealer: CacheSealer
    private let connection: ConnectionFlag
    private let listener: Task<Void, Never>?
    private let logger: Logger

    public var origin: String { self.local.origin }

    /// Starts listening on `nodes` (tried in turn; any node of a cluster hears every message).
    public init(redis: any RedisCommandRunner, nodes: [RedisConfiguration], sealer: CacheSealer, logger: Logger, buffer: Int = 256) {
        let local = LocalEventBus(buffer: buffer)
        let connection = ConnectionFlag()
        self.connection = connection
        self.local = local
        self.redis = redis
        self.sealer = sealer
        self.logger = logger
        let subscriber = RedisSubscriber(nodes: nodes, patterns: [Self.channelPrefix + "*"])
        self.listener = Task { [sealer] in
            await subscriber.run { event in
                switch event {
                case .connected:
                    connection.count.add(1, ordering: .relaxed)
                    connection.up.store(true, ordering: .relaxed)
                    logger.info("event bus: listening to the other replicas through Redis")
                case .disconnected:
                    connection.up.store(false, ordering: .relaxed)
                    logger.warning("event bus: Redis connection lost; other replicas' events are missed until it is back")
                case .message(let channel, let payload):
                    guard let opened = sealer.open(payload, binding: Array(channel.utf8)), let received = GatewayEvent(json: opened),
                        channel == Self.channelPrefix + received.topic
                    else {
                        logger.warning("event bus: a message that is not a sealed event was ignored", metadata: ["channel": "\(channel)"])
                        return
                    }
                    guard received.origin != local.origin else { return }
                    local.deliver(received)
                }
            }
        }
    }

    public func publish(_ event: GatewayEvent) async {
        self.local.deliver(event)
        let channel = Self.channelPrefix + event.topic
        guard let sealed = self.sealer.seal(event.jsonBytes, binding: Array(channel.utf8)) else { return }
        do {
            _ = try await self.redis.send([Array("PUBLISH".utf8), Array(channel.utf8), sealed])
        } catch {
            self.logger.warning("event bus: an event reached this replica's subscribers only", metadata: ["topic": "\(event.topic)", "error": "\(error)"])
        }
    }

    public func events(on topic: String) -> AsyncStream<GatewayEvent> { self.local.events(on: topic) }

    public var isConnected: Bool { self.connection.up.load(ordering: .relaxed) }

    public var connections: Int { self.connection.count.load(ordering: .relaxed) }

    public func shutdown() async {
        self.listener?.cancel()
        await self.local.shutdown()
    }
}

/// Whether the bus's subscriber connection is up (shared with its listening task).
private final class ConnectionFlag: Sendable {
    let up = Atomic<Bool>(false)
    let count = Atomic<Int>(0)
}
