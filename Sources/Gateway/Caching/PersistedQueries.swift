import GraphQLEngine

/// Automatic persisted queries (Apollo's APQ protocol), stored in the cache backend so every
/// replica shares them: a request may send only `extensions.persistedQuery.sha256Hash`; the first
/// time, the client sends the query with its hash and the gateway checks and stores it.
public struct PersistedQueries: Sendable {
    let store: any CacheStore
    let lifetime: Duration

    public init(store: any CacheStore, lifetime: Duration = .seconds(7 * 24 * 3600)) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The query text to run: the request's own, or the stored one for its hash.
    ///
    /// - Returns: `.failure` with `PERSISTED_QUERY_NOT_FOUND` (the client then resends with the
    ///   query), a hash mismatch, or an unsupported protocol version.
    public func resolve(query: String?, extensions: [String: Value]) async -> Result<String?, GraphQLError> {
        guard case .object(let persisted)? = extensions["persistedQuery"] else { return .success(query) }
        guard persisted["version"] == .int(1) else {
            return .failure(GraphQLError("Unsupported persisted query version.", extensions: ["code": "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"]))
        }
        guard case .string(let hash)? = persisted["sha256Hash"], hash.count == 64 else {
            return .failure(GraphQLError("persistedQuery needs a sha256Hash.", extensions: ["code": "BAD_REQUEST"]))
        }
        let key = "nc:apq:\(hash.lowercased())"
        if let query {
            guard SHA256Digest.hex(query) == hash.lowercased() else {
                return .failure(GraphQLError("provided sha does not match query", extensions: ["code": "PERSISTED_QUERY_HASH_MISMATCH"]))
            }
            await self.store.set([CacheEntry(key: key, value: Array(query.utf8), ttl: self.lifetime, tags: [])])
            return .success(query)
        }
        guard let stored = await self.store.get([key])[key] else {
            return .failure(GraphQLError("PersistedQueryNotFound", extensions: ["code": "PERSISTED_QUERY_NOT_FOUND"]))
        }
        // Re-hashed on read: a text swapped in the store is not run (the client resends the query).
        let text = String(decoding: stored, as: UTF8.self)
        guard SHA256Digest.hex(text) == hash.lowercased() else {
            GatewayMetrics.cacheIntegrityFailure("apq")
            return .failure(GraphQLError("PersistedQueryNotFound", extensions: ["code": "PERSISTED_QUERY_NOT_FOUND"]))
        }
        return .success(text)
    }
}
