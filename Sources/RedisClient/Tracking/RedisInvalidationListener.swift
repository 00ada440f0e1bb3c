import NIOCore
import NIOPosix

/// Hears from Redis which keys under `prefixes` changed, for an in-process cache in front of it
/// (Redis's client-side caching, broadcasting mode: `CLIENT TRACKING ON REDIRECT <own id> BCAST
/// PREFIX …`, then `SUBSCRIBE __redis__:invalidate` on the same connection).
///
/// Every write to a tracked key, by any client, is announced; so is `FLUSHALL`. While the
/// connection is down nothing is heard, and the listener says so: a cache relying on it must
/// stop serving from memory until `connected` comes again.
public final class RedisInvalidationListener: Sendable {
    public enum Event: Sendable, Equatable {
        /// Tracking is on: announcements from now on will arrive.
        case connected
        /// These keys were written, deleted or expired.
        case invalidated([[UInt8]])
        /// The whole keyspace was flushed.
        case flushed
        /// The connection is gone; announcements may be lost until `connected`.
        case disconnected
    }

    public let configuration: RedisConfiguration
    public let prefixes: [String]
    private let group: any EventLoopGroup

    public init(configuration: RedisConfiguration, prefixes: [String], group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.prefixes = prefixes
        self.group = group
    }

    /// Listens until the calling task is cancelled, reconnecting after `reconnectBackoff`.
    public func run(_ handle: @escaping @Sendable (Event) -> Void) async {
        while !Task.isCancelled {
            await self.listenOnce(handle)
            handle(.disconnected)
            try? await Task.sleep(for: self.configuration.reconnectBackoff)
        }
    }

    private func listenOnce(_ handle: @escaping @Sendable (Event) -> Void) async {
        guard var connection = await RedisPushConnection.open(self.configuration, group: self.group) else { return }
        defer { connection.close() }
        guard case .integer(let id)? = await connection.call(["CLIENT", "ID"]),
            await connection.call(["CLIENT", "TRACKING", "ON", "REDIRECT", String(id), "BCAST"] + self.prefixes.flatMap { ["PREFIX", $0] }) != nil,
            await connection.call(["SUBSCRIBE", "__redis__:invalidate"]) != nil
        else { return }
        handle(.connected)
        await connection.forEachMessage { message in
            // ["message", "__redis__:invalidate", [key, ...] | null]
            guard case .array(let parts?) = message, parts.count == 3, parts[0].string == "message" else { return }
            switch parts[2] {
            case .array(let keys?): handle(.invalidated(keys.compactMap(\.bytes)))
            case .array(nil), .bulkString(nil): handle(.flushed)
            default: return
            }
        }
    }
}
