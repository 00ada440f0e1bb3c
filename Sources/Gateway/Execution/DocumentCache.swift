import GraphQLEngine
import Synchronization

/// A bounded LRU of parsed and validated documents, keyed by the query text, so a repeated
/// query skips parse and validate. Shared by all requests (documents hold no request data).
public final class DocumentCache: Sendable {
    /// A parsed document and its validation result.
    public struct Entry: Sendable {
        public let source: Source
        public let document: Document?
        /// Syntax or validation errors (the request fails with them).
        public let errors: [GraphQLError]
        /// Set when a limit refused the document before validation (`depth`, `introspection`, …):
        /// each request of it is counted as refused for that reason.
        public var rejection: String? = nil
        /// Facts about the document's operations that do not depend on the request, computed once.
        let facts = DocumentFacts()
        /// The document's compiled execution plans, by operation, shared by its requests.
        let plans = PlanCache()
    }

    private struct Storage {
        var entries: [String: (entry: Entry, tick: UInt64)] = [:]
        var tick: UInt64 = 0
        /// The query texts' bytes held (the text is the key and the entry's source).
        var bytes = 0
    }

    private let capacity: Int
    /// The most query-text bytes held: many large distinct documents cannot grow the cache past it.
    private let maxBytes: Int
    private let storage = Mutex(Storage())
    /// A failed document longer than this is not kept: a client repeating a broken small query is
    /// served from the cache, a hostile large one is not stored.
    static let maxCachedFailureBytes = 4 * 1024

    public init(capacity: Int = 1_000, maxBytes: Int = 64 * 1024 * 1024) {
        self.capacity = max(1, capacity)
        self.maxBytes = max(1, maxBytes)
    }

    /// The cached entry for `query`, or the one `make` builds (then cached).
    /// The entry of `query` when it is cached (marked as recently used), else `nil`.
    public func cached(_ query: String) -> Entry? {
        self.storage.withLock { storage -> Entry? in
            guard let found = storage.entries[query] else { return nil }
            storage.tick += 1
            storage.entries[query] = (found.entry, storage.tick)
            return found.entry
        }
    }

    public func entry(for query: String, make: () -> Entry) -> Entry {
        if let hit = self.cached(query) {
            return hit
        }
        let entry = make()
        let size = query.utf8.count
        if !entry.errors.isEmpty, size > Self.maxCachedFailureBytes { return entry }
        if size > self.maxBytes / 8 { return entry }
        self.storage.withLock { storage in
            storage.tick += 1
            if storage.entries.updateValue((entry, storage.tick), forKey: query) == nil { storage.bytes += size }
            if storage.entries.count > self.capacity || storage.bytes > self.maxBytes {
                // Evict the least recently used eighth (or down to 7/8 of the bytes) at once, so
                // eviction stays amortized O(1).
                var evicted = 0
                for victim in storage.entries.sorted(by: { $0.value.tick < $1.value.tick }) {
                    guard evicted < max(1, self.capacity / 8) || storage.bytes > self.maxBytes / 8 * 7 else { break }
                    storage.entries[victim.key] = nil
                    storage.bytes -= victim.key.utf8.count
                    evicted += 1
                }
            }
        }
        return entry
    }

    public var count: Int { self.storage.withLock { $0.entries.count } }
}

/// What the gateway works out about a document's operations that no request changes (the bound on
/// its downstream calls; its limit check when it has no variables), kept with the cached document so
/// repeated queries skip the walks. The executor, and so this, is remade when the options change.
final class DocumentFacts: Sendable {
    private let downstreamBounds = Mutex<[String: Int]>([:])
    /// The limit check per operation: `.some(nil)` when it passed.
    private let limitChecks = Mutex<[String: GraphQLError?]>([:])
    private let costs = Mutex<[String: Int]>([:])

    /// The downstream-call bound of the operation named `name` (`nil`: the only operation).
    func downstreamBound(ofOperationNamed name: String?, compute: () -> Int) -> Int {
        Self.remembered(self.downstreamBounds, name ?? "", compute)
    }

    /// The estimated cost of the operation named `name` (what rate limits spend); remembered only
    /// for operations without variables.
    func cost(ofOperationNamed name: String?, _ operation: OperationDefinition, compute: () -> Int) -> Int {
        guard operation.variableDefinitions.isEmpty else { return compute() }
        return Self.remembered(self.costs, name ?? "", compute)
    }

    /// The limit the operation named `name` breaks, if any; remembered only for operations without
    /// variables (a list size may come from one).
    func limitViolation(ofOperationNamed name: String?, _ operation: OperationDefinition, compute: () -> GraphQLError?) -> GraphQLError? {
        guard operation.variableDefinitions.isEmpty else { return compute() }
        return Self.remembered(self.limitChecks, name ?? "", compute)
    }

    private static func remembered<Fact: Sendable>(_ facts: borrowing Mutex<[String: Fact]>, _ key: String, _ compute: () -> Fact) -> Fact {
        if let known = facts.withLock({ $0[key] }) { return known }
        let fact = compute()
        facts.withLock { $0[key] = fact }
        return fact
    }
}
