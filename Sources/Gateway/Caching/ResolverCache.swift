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
    private let staleIfErrorMilliseconds: Int64
    /// Fields mutations invalidate: their keys say so (`!` before the field), and an in-process
    /// tier in front of a shared store does not keep them (it learns of another replica's writes
    /// only asynchronously, which would break read-your-writes across replicas).
    public let volatileFields: Set<String>

    /// Wall-clock milliseconds since the epoch (replicas judge freshness alike); tests move it.
    let now: @Sendable () -> Int64

    public init(
        store: any CacheStore, schemaVersion: String, sealer: CacheSealer? = nil, staleIfError: Duration = .seconds(300),
        volatileFields: Set<String> = [], now: @escaping @Sendable () -> Int64 = wallClockMilliseconds
    ) {
        self.volatileFields = volatileFields
        self.store = store
        self.schemaVersion = schemaVersion
        self.sealer = sealer
        self.staleIfError = staleIfError
        self.staleIfErrorMilliseconds = staleIfError.milliseconds
        self.now = now
    }

    /// What to store for a value of `plan` under `key`: when it stops being fresh, then the value,
    /// sealed (PRIVATE) or signed (PUBLIC) when a sealer is set; kept `maxAge + staleIfError`.
    func entry(_ bytes: [UInt8], _ plan: FetchPlan, key: String, tags: [String]) -> CacheEntry? {
        guard let policy = plan.cache else { return nil }
        let stamp = CachedValue.stamp(self.now() + policy.maxAge.milliseconds)
        let stored: [UInt8]
        if let sealer = self.sealer {
            let binding = Self.binding(key)
            if policy.isPrivate {
                guard let sealed = sealer.seal(stamp + bytes, binding: binding) else { return nil }
                stored = CachedValue.frame(.sealed, sealed)
            } else {
                stored = CachedValue.frame(.signed, stamp + sealer.authenticate(binding + stamp + bytes) + bytes)
            }
        } else {
            stored = CachedValue.frame(.plain, stamp + bytes)
        }
        return CacheEntry(key: key, value: stored, ttl: policy.maxAge + self.staleIfError, tags: tags)
    }

    /// Opens, checks and parses the value stored under `key` for `plan`. `nil` is a miss: absent,
    /// past its grace period, or failing a check (counted: a value moved to another key, a changed
    /// freshness stamp, an injected PUBLIC value, a protection the store should not hold).
    func decodeEntry(_ stored: [UInt8], _ plan: FetchPlan, key: String) -> DecodedEntry? {
        guard let (freshUntil, json) = self.open(stored, plan, key: key), let value = try? json.withUnsafeBufferPointer({ (bytes) throws(JSONReader.Error) in try JSONReader.parse(bytes) }) else {
            GatewayMetrics.cacheIntegrityFailure("resolver")
            return nil
        }
        return DecodedEntry(value: value, freshUntil: freshUntil)
    }

    private func open(_ stored: [UInt8], _ plan: FetchPlan, key: String) -> (Int64, ArraySlice<UInt8>)? {
        guard let (protection, body) = CachedValue.unframe(stored) else { return nil }
        switch (protection, self.sealer) {
        case (.plain, nil):
            return CachedValue.readStamp(body)
        case (.sealed, let sealer?) where plan.cache?.isPrivate == true:
            guard let opened = sealer.open(body, binding: Self.binding(key)) else { return nil }
            return CachedValue.readStamp(opened[...])
        case (.signed, let sealer?) where plan.cache?.isPrivate == false:
            guard let (freshUntil, rest) = CachedValue.readStamp(body), rest.count >= 1 + HMACSHA256.size else { return nil }
            let tag = rest.prefix(1 + HMACSHA256.size)
            let json = rest.dropFirst(1 + HMACSHA256.size)
            guard sealer.verify(Self.binding(key) + CachedValue.stamp(freshUntil) + json, tag: tag) else { return nil }
            return (freshUntil, json)
        default:
            return nil
        }
    }

    /// What a protected value is bound to: its full key (which holds the schema version and, for
    /// PRIVATE data, the principal).
    private static func binding(_ key: String) -> [UInt8] {
        Array("nilecare cache entry v2\u{0}".utf8) + Array(key.utf8)
    }

    /// Whether a decoded entry may be served: `fresh`, `stale` (within the grace period), or `nil` (gone).
    func freshness(_ entry: DecodedEntry, at now: Int64? = nil) -> Bool? {
        let now = now ?? self.now()
        let (kept, overflow) = entry.freshUntil.addingReportingOverflow(self.staleIfErrorMilliseconds)
        guard overflow || now < kept else { return nil }
        return now < entry.freshUntil
    }

    func key(_ plan: FetchPlan, _ key: String, principal: String) -> String {
        self.keyPrefix(plan, principal: principal) + key
    }

    /// Every key of `plan` for this principal starts with this (made once per batch, not per key):
    /// `nc:VERSION:public:Type.field:` or `nc:VERSION:p:SCOPE:Type.field:`, the field after the
    /// volatile marker when mutations change it. Built in one string of its final size.
    func keyPrefix(_ plan: FetchPlan, principal: String) -> String {
        let isPublic = plan.cache?.isPrivate == false
        let isVolatile = self.volatileFields.contains(plan.coordinate)
        var prefix = "nc:"
        prefix.reserveCapacity(
            3 + self.schemaVersion.utf8.count + 1 + (isPublic ? 6 : 2 + principal.utf8.count) + 2 + plan.coordinate.utf8.count + 1)
        prefix += self.schemaVersion
        prefix += isPublic ? ":public:" : ":p:"
        if !isPublic {
            prefix += principal
            prefix += ":"
        }
        if isVolatile { prefix += CacheKeys.volatileMarker }
        prefix += plan.coordinate
        prefix += ":"
        return prefix
    }
}

/// What a cache key says about its entry.
public enum CacheKeys {
    /// Before the field of an entry that mutations invalidate.
    static let volatileMarker = "!"

    /// Whether an in-process tier may keep the entry of `key` (not one that mutations change).
    public static func mayKeepInProcess(_ key: String) -> Bool {
        !key.contains(":" + volatileMarker)
    }

    /// The length in UTF-8 bytes of the `ResolverCache.keyPrefix` a resolver-cache key starts with
    /// (`nc:VERSION:public:Type.field:` or `nc:VERSION:p:SCOPE:Type.field:`, the field maybe after
    /// the volatile marker); `nil` for any other key. The rest of the key may hold colons.
    static func prefixLength(_ key: String) -> Int? {
        var colons: [Int] = []
        colons.reserveCapacity(5)
        var offset = 0
        for byte in key.utf8 {
            offset += 1
            guard byte == 0x3A else { continue }
            colons.append(offset)
            if colons.count == 5 { break }
        }
        guard colons.count >= 4, key.utf8.starts(with: "nc:".utf8), colons[0] == 3 else { return nil }
        // The scope: `public`, or `p:` and the principal's hash (one colon more).
        let scope = key.utf8.dropFirst(colons[1])
        let isPrivate = scope.starts(with: "p:".utf8) && colons[2] == colons[1] + 2
        if !isPrivate { return colons[3] }
        return colons.count == 5 ? colons[4] : nil
    }
}
