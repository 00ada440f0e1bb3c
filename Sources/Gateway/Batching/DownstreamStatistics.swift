/// What a request cost downstream.
public struct DownstreamStatistics: Sendable {
    public var calls: [String: Int] = [:]
    /// Dispatches: the levels that needed downstream data.
    public var levels = 0
    /// Loader batches (one per loader and chunk of keys): a cache lookup or a downstream call each.
    public var batches = 0
    /// Keys answered by the resolver cache, and keys it did not have.
    public var cacheHits = 0
    public var cacheMisses = 0
    /// Expired entries served because their service failed (stale-if-error), by service.
    public var staleServed: [String: Int] = [:]
    /// The cache policies of the data the response holds, for its HTTP `Cache-Control`.
    public var httpCache = ResponseCachePolicy()
    /// Whether the request read (or was refused) data under `@auth`: it goes to the PHI audit log.
    public var touchedPHI = false
    /// The patients whose records the response holds.
    public var patientsTouched: Set<String> = []
    /// Fields refused for authorization.
    public var denials = 0
}

extension DownstreamStatistics {
    /// Adds what another part of the same request cost (a deferred group's own loaders).
    mutating func add(_ other: DownstreamStatistics) {
        self.calls.merge(other.calls, uniquingKeysWith: +)
        self.levels += other.levels
        self.batches += other.batches
        self.cacheHits += other.cacheHits
        self.cacheMisses += other.cacheMisses
        self.staleServed.merge(other.staleServed, uniquingKeysWith: +)
        self.touchedPHI = self.touchedPHI || other.touchedPHI
        self.patientsTouched.formUnion(other.patientsTouched)
        self.denials += other.denials
    }
}
