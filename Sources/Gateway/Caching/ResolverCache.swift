/// How long a field's downstream data may be cached, and for whom.
public struct CachePolicy: Sendable, Equatable {
    public let maxAge: Duration
    /// PRIVATE entries are keyed by the principal: never served to another caller.
    public let isPrivate: Bool
}

/// The resolver cache: a store plus the key scheme. Keys carry the schema version (a schema change
/// never reads old entries), the endpoint and key, and for PRIVATE data the principal's hash.
public struct ResolverCache: Sendable {
    public let store: any CacheStore
    public let schemaVersion: String
    /// Seals PRIVATE values at rest; `nil` keeps them in clear (in-process stores only).
    public let sealer: CacheSealer?
    /// How long past `maxAge` an entry is kept to be served when the downstream fails (stale-if-error).
    public let staleIfError: Duration

    /// Wall-clock milliseconds since the epoch (replicas judge freshness alike); tests move it.
    let now: @Sendable () -> Int64

    public init(
        store: any CacheStore, schemaVersion: String, sealer: CacheSealer? = nil, staleIfError: Duration = .seconds(300),
        now: @escaping @Sendable () -> Int64 = wallClockMilliseconds
    ) {
        self.store = store
        self.schemaVersion = schemaVersion
        self.sealer = sealer
        self.staleIfError = staleIfError
        self.now = now
    }

    /// What to store for a value of `plan`: when it stops being fresh, then the value (sealed when
    /// PRIVATE and a sealer is set); kept `maxAge + staleIfError`.
    func entry(_ bytes: [UInt8], _ plan: FetchPlan, key: String, tags: [String]) -> CacheEntry? {
        guard let policy = plan.cache else { return nil }
        var payload = bytes
        if policy.isPrivate, let sealer = self.sealer {
            guard let sealed = sealer.seal(bytes) else { return nil }
            payload = sealed
        }
        let stored = CachedValue.frame(payload, freshUntil: self.now() + policy.maxAge.milliseconds)
        return CacheEntry(key: key, value: stored, ttl: policy.maxAge + self.staleIfError, tags: tags)
    }

    /// The value from what was stored; `nil` (a miss) when it cannot be opened or is past its grace period.
    func decode(_ stored: [UInt8], _ plan: FetchPlan) -> CachedValue? {
        let now = self.now()
        guard let (freshUntil, payload) = CachedValue.unframe(stored), now < freshUntil + self.staleIfError.milliseconds else { return nil }
        var bytes = Array(payload)
        if plan.cache?.isPrivate == true, let sealer = self.sealer {
            guard let opened = sealer.open(bytes) else { return nil }
            bytes = opened
        }
        return CachedValue(bytes: bytes, isFresh: now < freshUntil)
    }

    func key(_ plan: FetchPlan, _ key: String, principal: String) -> String {
        let scope = plan.cache?.isPrivate == false ? "public" : "p:\(principal)"
        return "nc:\(self.schemaVersion):\(scope):\(plan.coordinate):\(key)"
    }
}
