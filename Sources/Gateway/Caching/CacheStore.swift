import GraphQLEngine

/// One value to cache: its key, bytes, lifetime, and the tags that invalidate it.
public struct CacheEntry: Sendable {
    public let key: String
    public let value: [UInt8]
    public let ttl: Duration
    /// Invalidating any of these removes the entry (`Patient.appointments:17`, `Query.patients`).
    public let tags: [String]

    public init(key: String, value: [UInt8], ttl: Duration, tags: [String]) {
        self.key = key
        self.value = value
        self.ttl = ttl
        self.tags = tags
    }
}

/// Where the resolver cache keeps entries: in process, or in Redis shared by every replica.
///
/// Stores never fail a request: an unreachable or slow backend answers "miss" and skips writes,
/// and says so in `isHealthy`.
public protocol CacheStore: Sendable {
    /// A label for receipts and metrics (`memory`, `redis`).
    var name: String { get }
    /// The cached values of `keys` that are present and fresh (one round trip).
    func get(_ keys: [String]) async -> [String: [UInt8]]
    /// Stores entries with their lifetimes and tags (one pipelined round trip).
    func set(_ entries: [CacheEntry]) async
    /// Removes every entry carrying one of `tags`, for every replica that shares the store, and
    /// refuses entries of those tags for `invalidationWindow` after: a read that fetched before the
    /// write it raced must not store what it fetched once the write's invalidation has run.
    func invalidate(tags: [String]) async
    /// Whether the backend answered recently (for `/ready`).
    func isHealthy() async -> Bool
    /// The values of `keys` decoded by `decode` (given each key and its bytes; a miss where it answers `nil`). An in-process
    /// store keeps what it decoded with the entry, so a hot entry is not decoded on every read.
    func getDecoded(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) async -> [String: DecodedEntry]
    /// The decoded values of `keys` held in this process, by position (`nil`: not held), answered
    /// without I/O or suspension (an in-process store: all it has; a tiered store: its L1; a
    /// remote store: nothing). Loaders serve these inline, and start tasks only for what is left.
    func getDecodedInProcess(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?]
    /// `getDecodedInProcess` of keys that share a prefix, given as the prefix and each key's rest
    /// (a field's keys: `ResolverCache.keyPrefix` and the loader's keys). A store that indexes its
    /// entries by prefix finds them without making or hashing the full keys; `decode` still gets them.
    func getDecodedInProcess(prefix: String, suffixes: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?]
    /// Whether the store is wholly in process: a key `getDecodedInProcess` missed is a miss.
    var isInProcess: Bool { get }
    /// Counts the backend's failures (and Redis's lost connections). A read that began before the
    /// latest one does not store what it fetched: an invalidation during the outage could not mark
    /// its tags, or a restart lost the mark (see `set(_:unlessOutageSince:)`).
    var outageEpoch: Int { get }
    /// `set`, unless the backend failed since `epoch` (the `outageEpoch` read before the fetch).
    func set(_ entries: [CacheEntry], unlessOutageSince epoch: Int) async
}

/// How long after an invalidation entries of its tags are refused: longer than any fetch that could
/// have started before the write (the request deadline bounds them).
public let invalidationWindow: Duration = .seconds(35)

/// A cached value, opened and parsed, with the wall-clock millisecond it stops being fresh.
public struct DecodedEntry: Sendable {
    public let value: Value
    public let freshUntil: Int64

    public init(value: Value, freshUntil: Int64) {
        self.value = value
        self.freshUntil = freshUntil
    }

    /// The entry with its value made whole, for a store that keeps it: a value read from JSON
    /// makes each property when it is read, which a hot entry would do on every hit.
    var kept: DecodedEntry { DecodedEntry(value: self.value.materialized, freshUntil: self.freshUntil) }
}

extension CacheStore {
    /// An in-process store has no outages.
    public var outageEpoch: Int { 0 }

    public func set(_ entries: [CacheEntry], unlessOutageSince epoch: Int) async {
        await self.set(entries)
    }

    public func getDecoded(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) async -> [String: DecodedEntry] {
        var decoded: [String: DecodedEntry] = [:]
        for (key, bytes) in await self.get(keys) { decoded[key] = decode(key, bytes) }
        return decoded
    }

    public func getDecodedInProcess(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?] {
        Array(repeating: nil, count: keys.count)
    }

    public func getDecodedInProcess(prefix: String, suffixes: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?] {
        guard self.isInProcess else { return Array(repeating: nil, count: suffixes.count) }
        return self.getDecodedInProcess(suffixes.map { prefix + $0 }, decode: decode)
    }

    public var isInProcess: Bool { false }
}
