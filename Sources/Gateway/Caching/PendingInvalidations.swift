import Synchronization

/// Tags whose invalidation could not reach Redis (down, partitioned, or too slow). Until they are
/// deleted, what Redis holds under them may be stale, and Redis (back without a restart) would
/// serve it; so the store owning them retries them before it reads again, and reads nothing while
/// they stand. Bounded: past `limit` tags, newer ones are dropped (and logged by the owner).
struct PendingInvalidations: ~Copyable {
    private let tags = Mutex<Set<String>>([])
    /// Whether any tag is pending: read on every cache read, without the lock.
    private let waiting = Atomic<Bool>(false)
    /// Whether a retry is under way (one at a time: the reads meanwhile find nothing).
    private let retrying = Atomic<Bool>(false)
    let limit: Int

    init(limit: Int = 50_000) {
        self.limit = limit
    }

    var isEmpty: Bool { !self.waiting.load(ordering: .acquiring) }

    /// Adds `tags`; returns how many did not fit.
    func add(_ tags: [String]) -> Int {
        self.tags.withLock { pending in
            var dropped = 0
            for tag in tags where !pending.contains(tag) {
                if pending.count >= self.limit {
                    dropped += 1
                } else {
                    pending.insert(tag)
                }
            }
            self.waiting.store(!pending.isEmpty, ordering: .releasing)
            GatewayMetrics.cacheInvalidationsPending(pending.count)
            return dropped
        }
    }

    /// Claims the retry; `false` when another one is under way.
    func beginRetry() -> Bool {
        self.retrying.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    func endRetry() {
        self.retrying.store(false, ordering: .releasing)
    }

    var count: Int { self.tags.withLock { $0.count } }

    /// Up to `count` pending tags: a retry's share, so one attempt stays small however many wait.
    func some(_ count: Int) -> [String] { self.tags.withLock { Array($0.prefix(count)) } }

    /// Removes `tags`, deleted at last.
    func remove(_ tags: [String]) {
        self.tags.withLock { pending in
            pending.subtract(tags)
            self.waiting.store(!pending.isEmpty, ordering: .releasing)
            GatewayMetrics.cacheInvalidationsPending(pending.count)
        }
    }
}
