import Foundation
import RedisClient
import Synchronization

/// Remembers webhook event ids, in Redis (every replica refuses a replay) or in this process.
public final class WebhookReplayGuard: Sendable {
    private let redis: (any RedisCommandRunner)?
    private let seen = Mutex<[String: Date]>([:])

    public init(redis: (any RedisCommandRunner)?) {
        self.redis = redis
    }

    /// True the first time `id` is offered within `window`.
    func firstSighting(of id: String, within window: TimeInterval) async -> Bool {
        if let redis {
            let key = "nc:webhook:" + SHA256Digest.hex(id)
            do {
                let reply = try await redis.send(["SET", key, "1", "NX", "EX", String(max(1, Int(window)))])
                return !reply.isNull
            } catch {
                // Redis down: this replica still refuses what it has seen itself.
            }
        }
        let now = Date()
        return self.seen.withLock { seen in
            if seen.count > 100_000 { seen = seen.filter { $0.value > now } }
            if let until = seen[id], until > now { return false }
            seen[id] = now.addingTimeInterval(window)
            return true
        }
    }
}

