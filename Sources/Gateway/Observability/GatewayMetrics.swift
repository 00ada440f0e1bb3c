import Metrics
import Synchronization

/// The gateway's metrics, through swift-metrics (Prometheus names: base units, `_total`
/// counters, bounded labels). Handles are made once per label set and reused.
public enum GatewayMetrics {
    /// One HTTP request the server answered: by method, route template and status.
    public static func httpRequest(method: String, route: String, status: Int, duration: Duration) {
        let (counter, timer) = handles.counterAndTimer(
            Key("http_server_requests_total", ("method", method), ("route", route), ("status", String(status))),
            timer: "http_server_request_duration_seconds")
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// One downstream HTTP call: by service, endpoint path (no query) and status (`timeout`, `error` when none).
    static func downstream(service: String, endpoint: String, status: String, duration: Duration) {
        let (counter, timer) = handles.counterAndTimer(
            Key("downstream_requests_total", ("service", service), ("endpoint", endpoint), ("status", status)),
            timer: "downstream_request_duration_seconds")
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// Keys in one loader batch.
    static func loaderBatch(service: String, keys: Int) {
        handles.recorder(Key("loader_batch_keys", ("service", service))).record(keys)
    }

    /// One cache lookup (a remote batch, or all of a level's in-process lookups): hits and misses by
    /// store (`memory`, `redis`, `redis+l1`).
    static func cacheLookup(store: String, hits: Int, misses: Int, duration: Duration) {
        if hits > 0 { handles.counter(Key("cache_lookups_total", ("store", store), ("result", "hit"))).increment(by: hits) }
        if misses > 0 { handles.counter(Key("cache_lookups_total", ("store", store), ("result", "miss"))).increment(by: misses) }
        handles.timer(Key("cache_lookup_duration_seconds", ("store", store))).recordNanoseconds(duration.nanoseconds)
    }

    /// Hits of one tier of a two-tier cache (`l1`, `l2`).
    static func cacheTierHits(_ tier: String, _ count: Int) {
        guard count > 0 else { return }
        handles.counter(Key("cache_tier_hits_total", ("tier", tier))).increment(by: count)
    }

    /// A cached value that failed an integrity check (seal, MAC, framing, APQ hash): served as a
    /// miss. By kind: `resolver` or `apq`. Anything but zero means someone wrote to the cache.
    static func cacheIntegrityFailure(_ kind: String) {
        handles.counter(Key("cache_integrity_failures_total", ("kind", kind))).increment()
    }

    /// A downstream circuit's state: 0 closed, 1 half-open, 2 open.
    static func circuitState(service: String, _ value: Int) {
        handles.gauge(Key("downstream_circuit_state", ("service", service))).record(value)
    }

    /// A downstream circuit changed state (`open`, `half-open`, `closed`).
    static func circuitTransition(service: String, to state: String) {
        handles.counter(Key("downstream_circuit_transitions_total", ("service", service), ("to", state))).increment()
    }

    /// A downstream call retried (a GET that got no answer or a 502/503/504).
    static func downstreamRetry(service: String) {
        handles.counter(Key("downstream_retries_total", ("service", service))).increment()
    }

    /// A request checked against the trusted-documents manifest: by operation id (ids come from the
    /// manifest, so the label is bounded; `unlisted` for the rest) and outcome (`run`, `refused`).
    public static func trustedDocument(id: String, outcome: String) {
        handles.counter(Key("graphql_trusted_documents_total", ("id", id), ("outcome", outcome))).increment()
    }

    /// A request refused by a rate limit (`requests`, `cost`, `address`), by the caller's role.
    static func rateLimited(by limit: String, role: String) {
        handles.counter(Key("rate_limited_total", ("limit", limit), ("role", role))).increment()
    }

    /// 1 while rate limits are kept in process because Redis is not answering.
    static func rateLimiterFallback(_ falling: Bool) {
        handles.gauge(Key("rate_limiter_fallback")).record(falling ? 1 : 0)
    }

    /// Tags whose invalidation Redis has not taken yet (retried before the replica's next read).
    static func cacheInvalidationsPending(_ count: Int) {
        handles.gauge(Key("cache_invalidations_pending")).record(count)
    }

    /// A cache backend that failed (the request went on uncached).
    static func cacheError(store: String) {
        handles.counter(Key("cache_errors_total", ("store", store))).increment()
    }

    /// One GraphQL operation: type, outcome (`ok`, `partial`, `error`, `rejected`) and its bounded name label.
    static func operation(type: String, outcome: String, nameLabel: String, duration: Duration) {
        handles.counter(Key("graphql_operations_total", ("type", type), ("outcome", outcome), ("name", nameLabel))).increment()
        handles.timer(Key("graphql_operation_duration_seconds", ("type", type))).recordNanoseconds(duration.nanoseconds)
    }

    /// A subscription started, by its (schema-bounded) root field.
    static func subscriptionStarted(field: String) {
        handles.counter(Key("graphql_subscriptions_started_total", ("field", field))).increment()
    }

    /// One event resolved and sent to one subscriber.
    static func subscriptionEvent(field: String) {
        handles.counter(Key("graphql_subscription_events_total", ("field", field))).increment()
    }

    /// One phase of a request: `parse`, `validate`, `execute`.
    static func phase(_ phase: String, _ duration: Duration) {
        handles.timer(Key("graphql_phase_duration_seconds", ("phase", phase))).recordNanoseconds(duration.nanoseconds)
    }

    /// A request refused by a limit (`depth`, `aliases`, `cost`, `introspection`, `body_size`, ...).
    public static func rejected(_ reason: String) {
        handles.counter(Key("requests_rejected_total", ("reason", reason))).increment()
    }

    /// Stale entries served because a service failed.
    static func staleServed(service: String, count: Int) {
        handles.counter(Key("cache_stale_served_total", ("service", service))).increment(by: count)
    }

    /// Unexpected errors, by stable code (also a span event and one log line).
    public static func unexpectedError(code: String) {
        handles.counter(Key("unexpected_errors_total", ("code", code))).increment()
    }

    static let handles = MetricHandles()
    private typealias Key = MetricHandles.Key
}

/// Metric handles by name and labels, made once (a swift-metrics handle is a factory call).
final class MetricHandles: Sendable {
    /// A handle's name and up to three labels. Hashed and compared by name and label values (each
    /// name has fixed label names); the labels are an array only when a handle is made.
    struct Key: Hashable {
        let label: String
        let first: (name: String, value: String)?
        let second: (name: String, value: String)?
        let third: (name: String, value: String)?

        init(_ label: String, _ first: (String, String)? = nil, _ second: (String, String)? = nil, _ third: (String, String)? = nil) {
            self.label = label
            self.first = first
            self.second = second
            self.third = third
        }

        /// The labels, as swift-metrics takes them.
        var dimensions: [(String, String)] {
            [self.first, self.second, self.third].compactMap { $0.map { ($0.name, $0.value) } }
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.label == rhs.label && lhs.first?.value == rhs.first?.value && lhs.second?.value == rhs.second?.value
                && lhs.third?.value == rhs.third?.value
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(self.label)
            hasher.combine(self.first?.value)
            hasher.combine(self.second?.value)
            hasher.combine(self.third?.value)
        }
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Metrics.Timer]>([:])
    private let recorders = Mutex<[Key: Recorder]>([:])
    private let gauges = Mutex<[Key: Gauge]>([:])
    private let pairs = Mutex<[Key: (Counter, Metrics.Timer)]>([:])

    /// A counter and a timer with the same labels, in one lookup (keyed by the counter's name).
    func counterAndTimer(_ key: Key, timer timerLabel: String) -> (Counter, Metrics.Timer) {
        Self.cached(self.pairs, key) {
            (Counter(label: key.label, dimensions: key.dimensions), Metrics.Timer(label: timerLabel, dimensions: key.dimensions))
        }
    }

    func gauge(_ key: Key) -> Gauge {
        Self.cached(self.gauges, key) { Gauge(label: key.label, dimensions: key.dimensions) }
    }

    func counter(_ key: Key) -> Counter {
        Self.cached(self.counters, key) { Counter(label: key.label, dimensions: key.dimensions) }
    }

    func timer(_ key: Key) -> Metrics.Timer {
        Self.cached(self.timers, key) { Metrics.Timer(label: key.label, dimensions: key.dimensions) }
    }

    func recorder(_ key: Key) -> Recorder {
        Self.cached(self.recorders, key) { Recorder(label: key.label, dimensions: key.dimensions) }
    }

    private static func cached<Handle>(_ cache: borrowing Mutex<[Key: Handle]>, _ key: Key, make: () -> Handle) -> Handle {
        cache.withLock { handles in
            if let existing = handles[key] { return existing }
            let made = make()
            handles[key] = made
            return made
        }
    }
}

/// Operation names as a metric label: client-chosen, so only well-formed names, and at most 200
/// distinct ones; the rest are `other`.
enum OperationNames {
    private static let known = Mutex<Set<String>>([])

    static func label(_ name: String?) -> String {
        guard let name, !name.isEmpty else { return "anonymous" }
        guard name.utf8.count <= 64, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return "other" }
        return self.known.withLock { names in
            if names.contains(name) { return name }
            guard names.count < 200 else { return "other" }
            names.insert(name)
            return name
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        self.components.seconds * 1_000_000_000 + self.components.attoseconds / 1_000_000_000
    }
}
