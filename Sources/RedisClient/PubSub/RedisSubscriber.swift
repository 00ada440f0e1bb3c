import NIOCore
import NIOPosix

/// Receives what is published on Redis channels matching `patterns` (`PSUBSCRIBE`), reconnecting
/// when the connection drops. Redis pub/sub is at-most-once: while no connection is up, messages
/// are not kept for this subscriber; `disconnected` says so.
///
/// In a Redis Cluster a message published on any node reaches subscribers on every node, so one
/// connection to any reachable node is enough: the nodes are tried in turn.
public final class RedisSubscriber: Sendable {
    public enum Event: Sendable, Equatable {
        /// Subscribed: messages published from now on arrive.
        case connected
        /// A message published on `channel`.
        case message(channel: String, payload: [UInt8])
        /// The connection is gone; messages published until `connected` are not received.
        case disconnected
    }

    public let nodes: [RedisConfiguration]
    public let patterns: [String]
    private let group: any EventLoopGroup

    public init(nodes: [RedisConfiguration], patterns: [String], group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.nodes = nodes
        self.patterns = patterns
        self.group = group
    }

    /// Listens until the calling task is cancelled, reconnecting after the first node's `reconnectBackoff`.
    public func run(_ handle: @escaping @Sendable (Event) -> Void) async {
        var attempt = 0
        while !Task.isCancelled, !self.nodes.isEmpty {
            let node = self.nodes[attempt % self.nodes.count]
            attempt &+= 1
            if await self.listenOnce(node, handle) { handle(.disconnected) }
            try? await Task.sleep(for: node.reconnectBackoff)
        }
    }

    /// One connection's life; true when it had subscribed.
    private func listenOnce(_ node: RedisConfiguration, _ handle: @escaping @Sendable (Event) -> Void) async -> Bool {
        guard var connection = await RedisPushConnection.open(node, group: self.group) else { return false }
        defer { connection.close() }
        // One confirmation per pattern: ["psubscribe", pattern, count].
        guard await connection.call(["PSUBSCRIBE"] + self.patterns) != nil else { return false }
        for _ in 1..<max(1, self.patterns.count) {
            guard await connection.next() != nil else { return false }
        }
        handle(.connected)
        await connection.forEachMessage { message in
            // ["pmessage", pattern, channel, payload]
            guard case .array(let parts?) = message, parts.count == 4, parts[0].string == "pmessage",
                let channel = parts[2].string, let payload = parts[3].bytes
            else { return }
            handle(.message(channel: channel, payload: payload))
        }
        return true
    }
}
