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

    public init(store: any CacheStore, schemaVersion: String, sealer: CacheSealer? = nil) {
        self.store = store
        self.schemaVersion = schemaVersion
        self.sealer = sealer
    }

    /// The bytes to store for a value of `plan` (sealed when PRIVATE and a sealer is set).
    func encode(_ bytes: [UInt8], _ plan: FetchPlan) -> [UInt8]? {
        guard plan.cache?.isPrivate == true, let sealer = self.sealer else { return bytes }
        return sealer.seal(bytes)
    }

    /// The value's bytes from what was stored; `nil` (a miss) when it cannot be opened.
    func decode(_ stored: [UInt8], _ plan: FetchPlan) -> [UInt8]? {
        guard plan.cache?.isPrivate == true, let sealer = self.sealer else { return stored }
        return sealer.open(stored)
    }

    func key(_ plan: FetchPlan, _ key: String, principal: String) -> String {
        let scope = plan.cache?.isPrivate == false ? "public" : "p:\(principal)"
        return "nc:\(self.schemaVersion):\(scope):\(plan.loaderKey):\(key)"
    }
}

/// The hash a caller's PRIVATE entries are keyed by (never the credential itself).
func principalHash(_ headers: ForwardedHeaders) -> String {
    guard let authorization = headers.authorization, !authorization.isEmpty else { return "anonymous" }
    return String(SHA256Digest.hex(authorization).prefix(32))
}
