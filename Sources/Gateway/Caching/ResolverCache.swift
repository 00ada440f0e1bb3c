import GraphQLEngine

/// How long a field's downstream data may be cached, and for whom.
public struct CachePolicy: Sendable, Equatable {
    public let maxAge: Duration
    /// PRIVATE entries are keyed by the principal: never served to another caller.
    public let isPrivate: Bool
}

/// The resolver cache: a store plus the key scheme. Keys carry the schema version (a schema change
/// never reads old entries), the endpoint and key, and for PRIVATE data the principal's hash.
/// A class: loaders read it per key, and a struct of this size is copied (and retained) per read.
public final class ResolverCache: Sendable {
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

    /// Opens and parses a stored value for `plan` (`nil`: a miss — unreadable, or past its grace period).
    func decodeEntry(_ stored: [UInt8], _ plan: FetchPlan) -> DecodedEntry? {
        guard let (freshUntil, payload) = CachedValue.unframe(stored) else { return nil }
        var bytes = Array(payload)
        if plan.cache?.isPrivate == true, let sealer = self.sealer {
            guard let opened = sealer.open(bytes) else { return nil }
            bytes = opened
        }
        guard let value = try? JSONReader.parse(bytes) else { return nil }
        return DecodedEntry(value: value, freshUntil: freshUntil)
    }

    /// Whether a decoded entry may be served: `fresh`, `stale` (within the grace period), or `nil` (gone).
    func freshness(_ entry: DecodedEntry) -> Bool? {
        let now = self.now()
        guard now < entry.freshUntil + self.staleIfError.milliseconds else { return nil }
        return now < entry.freshUntil
    }

    func key(_ plan: FetchPlan, _ key: String, principal: String) -> String {
        self.keyPrefix(plan, principal: principal) + key
    }

    /// Every key of `plan` for this principal starts with this (made once per batch, not per key).
    func keyPrefix(_ plan: FetchPlan, principal: String) -> String {
        let scope = plan.cache?.isPrivate == false ? "public" : "p:\(principal)"
        return "nc:\(self.schemaVersion):\(scope):\(plan.coordinate):"
    }
}
