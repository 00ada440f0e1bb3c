import Foundation
import Logging
import RedisClient
import Synchronization

/// Rate limits per principal (requests and query cost per window) and per client address
/// (requests), by GCRA. With Redis every replica shares the limits: one pipelined round trip of
/// two Lua scripts per request (the principal's keys share a hash slot). Without Redis, or while it
/// fails, limits are kept in process (and `/ready` and `rate_limiter_fallback` say so).
public final class RateLimiter: Sendable {
    public let policy: RateLimitPolicy
    private let redis: (any RedisCommandRunner)?
    private let local = Mutex<[String: Int64]>([:])
    private let fallingBack = Mutex(false)
    private let logger = Logger(label: "nilecare.ratelimit")

    public init(policy: RateLimitPolicy, redis: (any RedisCommandRunner)?) {
        self.policy = policy
        self.redis = redis
        GatewayMetrics.rateLimiterFallback(false)
    }

    /// `shared (redis)`, `in-process`, or `in-process (redis down)`, for `/ready`.
    public var mode: String {
        guard self.redis != nil else { return "in-process" }
        return self.fallingBack.withLock { $0 } ? "in-process (redis down)" : "shared (redis)"
    }

    /// Checks and, when allowed, counts one request of `cost` for `principal` (a stable key of the
    /// caller: role and subject) from `address`.
    public func admit(principal: String, role: String, address: String?, cost: Int) async -> RateLimitDecision {
        let quota = self.policy.quota(forRole: role)
        let window = Int64(self.policy.window.components.seconds) * 1_000_000
        let requestInterval = max(1, window / Int64(quota.requests))
        let costInterval = max(1, window / Int64(quota.cost))
        let addressInterval = max(1, window / Int64(max(1, self.policy.addressRequests)))
        let checks: [Check] = [
            Check(key: "nc:rl:{\(principal)}:requests", cost: 1, interval: requestInterval, name: "requests"),
            Check(key: "nc:rl:{\(principal)}:cost", cost: Int64(max(1, cost)), interval: costInterval, name: "cost"),
        ]
        let addressCheck = address.map { Check(key: "nc:rl:{a:\($0)}:requests", cost: 1, interval: addressInterval, name: "address") }
        var outcomes: [(Check, GCRA.Outcome)]
        if let redis = self.redis, let shared = await self.shared(redis, checks, addressCheck, window: window) {
            outcomes = shared
            self.setFallback(false)
        } else {
            if self.redis != nil { self.setFallback(true) }
            outcomes = self.inProcess(checks + (addressCheck.map { [$0] } ?? []), window: window)
        }
        let refused = outcomes.first { !$0.1.allowed }
        let remaining = outcomes.first { $0.0.name == "requests" }?.1.remaining ?? 0
        let decision = RateLimitDecision(
            allowed: refused == nil, retryAfterSeconds: refused.map { Int(($0.1.retryAfter + 999_999) / 1_000_000) } ?? 0,
            remainingRequests: Int(remaining), quota: quota, windowSeconds: Int(window / 1_000_000), refusedBy: refused?.0.name)
        if let refusedBy = decision.refusedBy { GatewayMetrics.rateLimited(by: refusedBy, role: role) }
        return decision
    }

    struct Check {
        let key: String
        let cost: Int64
        let interval: Int64
        let name: String
    }

    /// Admits only if every check passes (each script is atomic; the principal's two checks are one).
    private func inProcess(_ checks: [Check], window: Int64) -> [(Check, GCRA.Outcome)] {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        return self.local.withLock { state in
            if state.count > 100_000 { state = state.filter { $0.value > now } }
            let outcomes = checks.map { check in (check, GCRA.step(tat: state[check.key], now: now, cost: check.cost, interval: check.interval, window: window)) }
            if outcomes.allSatisfy(\.1.allowed) {
                for (check, outcome) in outcomes { state[check.key] = outcome.tat }
            }
            return outcomes
        }
    }

    /// The same GCRA in Redis, on Redis's clock (replicas' clocks need not agree). Returns, per
    /// key: allowed, retry-after and remaining (µs and uses). Admits only when all its keys pass.
    static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local window = tonumber(ARGV[1])
        local results, tats, allowed = {}, {}, true
        for i, key in ipairs(KEYS) do
          local cost, interval = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
          local tat = tonumber(redis.call('GET', key) or now)
          if tat < now then tat = now end
          local nxt = tat + cost * interval
          if nxt - now > window then
            allowed = false
            results[i] = {0, nxt - now - window, math.max(0, math.floor((window - (tat - now)) / interval))}
          else
            tats[i] = nxt
            results[i] = {1, 0, math.max(0, math.floor((window - (nxt - now)) / interval))}
          end
        end
        if allowed then
          for i, key in ipairs(KEYS) do
            redis.call('SET', key, tats[i], 'PX', math.ceil((tats[i] - now) / 1000) + 1)
          end
        end
        return results
        """

    private func shared(_ redis: any RedisCommandRunner, _ checks: [Check], _ address: Check?, window: Int64) async -> [(Check, GCRA.Outcome)]? {
        func eval(_ group: [Check]) -> [[UInt8]] {
            var command = [Array("EVAL".utf8), Array(Self.script.utf8), Array(String(group.count).utf8)] + group.map { Array($0.key.utf8) }
            command.append(Array(String(window).utf8))
            for check in group { command += [Array(String(check.cost).utf8), Array(String(check.interval).utf8)] }
            return command
        }
        let groups = [checks] + (address.map { [[$0]] } ?? [])
        do {
            let replies = try await redis.pipeline(groups.map(eval))
            var outcomes: [(Check, GCRA.Outcome)] = []
            for (group, reply) in zip(groups, replies) {
                guard case .array(let rows?) = try reply.get(), rows.count == group.count else { return nil }
                for (check, row) in zip(group, rows) {
                    guard case .array(let fields?) = row, fields.count == 3, case .integer(let allowed) = fields[0],
                        case .integer(let retryAfter) = fields[1], case .integer(let remaining) = fields[2]
                    else { return nil }
                    outcomes.append((check, GCRA.Outcome(allowed: allowed == 1, tat: 0, retryAfter: Int64(retryAfter), remaining: Int64(remaining))))
                }
            }
            return outcomes
        } catch {
            return nil
        }
    }

    private func setFallback(_ value: Bool) {
        let changed = self.fallingBack.withLock { state -> Bool in
            defer { state = value }
            return state != value
        }
        guard changed else { return }
        GatewayMetrics.rateLimiterFallback(value)
        if value {
            self.logger.warning("rate limits kept in process: Redis is not answering")
        } else {
            self.logger.info("rate limits shared through Redis again")
        }
    }
}
