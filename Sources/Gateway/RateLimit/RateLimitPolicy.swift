import Foundation

/// How much a caller may ask per window: requests, and estimated query cost (the same estimate
/// `--max-cost` uses), by role; and requests per client address, whoever the caller is.
public struct RateLimitPolicy: Sendable, Equatable {
    public struct Quota: Sendable, Equatable {
        public var requests: Int
        public var cost: Int

        public init(requests: Int, cost: Int) {
            self.requests = max(1, requests)
            self.cost = max(1, cost)
        }
    }

    public var window: Duration = .seconds(60)
    /// By role name (`anonymous`, `patient`, `clinician`, `admin`).
    public var quotas: [String: Quota] = [
        "anonymous": Quota(requests: 300, cost: 30_000), "patient": Quota(requests: 600, cost: 60_000),
        "clinician": Quota(requests: 1_200, cost: 240_000), "admin": Quota(requests: 2_400, cost: 480_000),
    ]
    /// Requests per window from one client address (any caller).
    public var addressRequests = 3_000

    public init() {}

    public func quota(forRole role: String) -> Quota {
        self.quotas[role] ?? self.quotas["anonymous"] ?? Quota(requests: 60, cost: 6_000)
    }

    /// Parses `role=requests/cost,…` (e.g. `patient=300/30000,clinician=1200/240000`) over the defaults.
    public mutating func apply(quotas text: String) -> Bool {
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return false }
            let numbers = parts[1].split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 2, let requests = numbers[0], let cost = numbers[1], requests > 0, cost > 0 else { return false }
            self.quotas[parts[0].trimmingCharacters(in: .whitespaces)] = Quota(requests: requests, cost: cost)
        }
        return true
    }
}

/// The outcome of a rate-limit check, with what the IETF RateLimit header fields say.
public struct RateLimitDecision: Sendable, Equatable {
    public var allowed: Bool
    /// Seconds until the refused request would be allowed (rounded up).
    public var retryAfterSeconds: Int
    /// Requests left in the caller's window.
    public var remainingRequests: Int
    public var quota: RateLimitPolicy.Quota
    public var windowSeconds: Int
    /// Which limit refused (`requests`, `cost`, `address`), when one did.
    public var refusedBy: String?

    /// `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers).
    public var policyHeader: String {
        #""requests";q=\#(self.quota.requests);w=\#(self.windowSeconds), "cost";q=\#(self.quota.cost);w=\#(self.windowSeconds)"#
    }

    /// `RateLimit`: what is left of the requests policy, and when the window resets.
    public var rateLimitHeader: String {
        #""requests";r=\#(max(0, self.remainingRequests));t=\#(self.allowed ? self.windowSeconds : self.retryAfterSeconds)"#
    }
}
