import Synchronization

/// Which entries go first when the in-memory cache is over its bounds.
public enum EvictionPolicy: String, Sendable, CaseIterable {
    /// Least recently used (a read renews an entry).
    case lru
    /// First in, first out (reads do not renew).
    case fifo
    /// Soonest to expire.
    case ttl
}

/// The embedded cache: bounded by entries and bytes, evicting by `EvictionPolicy` (LRU, FIFO or
/// TTL-only), entries expire by TTL; tags index entries for invalidation.
public final class MemoryCacheStore: CacheStore {
    /// A class: reads and renewals touch it in place (a struct read out of the dictionary is copied).
    private final class Stored {
        /// The entry's key, and its place in `State.byPrefix` (`nil`: not a resolver-cache key).
        let key: String
        var indexed: (prefix: String, suffix: String)?
        var value: [UInt8]
        var expires: ContinuousClock.Instant
        var tags: [String]
        var tick: UInt64
        /// What `value` decodes to, kept after the first decoding read.
        var decoded: DecodedEntry?
        /// Set when the entry is written: a decoding of an older value is not kept.
        var version: UInt64 = 0

        init(key: String, value: [UInt8], expires: ContinuousClock.Instant, tags: [String], tick: UInt64, version: UInt64) {
            self.key = key
            self.value = value
            self.expires = expires
            self.tags = tags
            self.tick = tick
            self.version = version
        }
    }

    private struct State {
        var entries: [String: Stored] = [:]
        /// The same entries by key prefix, then the rest of the key (`CacheKeys.prefixLength`): a
        /// field's keys are found with one look-up of the prefix and one of each short rest.
        var byPrefix: [String: SuffixTable<Stored>] = [:]
        var tagged: [String: Set<String>] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        /// Tags invalidated within `invalidationWindow`, with when that window ends.
        var tombstones: [String: ContinuousClock.Instant] = [:]
    }

    public let name = "memory"
    private let maxEntries: Int
    private let maxBytes: Int
    private let state = Mutex(State())
    private let now: @Sendable () -> ContinuousClock.Instant

    public let eviction: EvictionPolicy

    public init(
        maxEntries: Int = 100_000, maxBytes: Int = 256 * 1024 * 1024, eviction: EvictionPolicy = .lru,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.eviction = eviction
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
        self.now = now
    }

    public func get(_ keys: [String]) async -> [String: [UInt8]] {
        let now = self.now()
        return self.state.withLock { state in
            var found: [String: [UInt8]] = [:]
            for key in keys {
                if let stored = self.read(key, now, &state) { found[key] = stored.value }
            }
            return found
        }
    }

    public func set(_ entries: [CacheEntry]) async {
        let now = self.now()
        self.state.withLock { state in
            for entry in entries {
                // Fetched before an invalidation of one of its tags, maybe: not stored.
                if !state.tombstones.isEmpty, entry.tags.contains(where: { state.tombstones[$0].map { now < $0 } ?? false }) { continue }
                Self.remove(entry.key, from: &state)
                state.tick += 1
                let stored = Stored(key: entry.key, value: entry.value, expires: now + entry.ttl, tags: entry.tags, tick: state.tick, version: state.tick)
                state.entries[entry.key] = stored
                Self.index(stored, in: &state)
                state.bytes += entry.value.count
                for tag in entry.tags { state.tagged[tag, default: []].insert(entry.key) }
            }
            if state.entries.count > self.maxEntries || state.bytes > self.maxBytes {
                // Evict by the policy until back under both bounds (in one sorted pass): the oldest
                // tick (least recently used, or first in), or the soonest expiry.
                let order: [(key: String, value: Stored)] =
                    self.eviction == .ttl
                    ? state.entries.sorted { $0.value.expires < $1.value.expires } : state.entries.sorted { $0.value.tick < $1.value.tick }
                for (key, _) in order {
                    if state.entries.count <= self.maxEntries * 7 / 8 && state.bytes <= self.maxBytes * 7 / 8 { break }
                    Self.remove(key, from: &state)
                }
            }
        }
    }

    public func invalidate(tags: [String]) async {
        let now = self.now()
        self.state.withLock { state in
            state.tombstones = state.tombstones.filter { now < $0.value }
            for tag in tags {
                state.tombstones[tag] = now + invalidationWindow
                for key in state.tagged.removeValue(forKey: tag) ?? [] { Self.remove(key, from: &state) }
            }
        }
    }

    public func isHealthy() async -> Bool { true }

    public func getDecoded(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) async -> [String: DecodedEntry] {
        var found: [String: DecodedEntry] = [:]
        for (key, entry) in zip(keys, self.getDecodedInProcess(keys, decode: decode)) where entry != nil { found[key] = entry }
        return found
    }

    public var isInProcess: Bool { true }

    public func getDecodedInProcess(_ keys: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?] {
        let now = self.now()
        var found = [DecodedEntry?](repeating: nil, count: keys.count)
        var undecoded: [(position: Int, bytes: [UInt8], version: UInt64)] = []
        self.state.withLock { state in
            for (position, key) in keys.enumerated() {
                guard let stored = self.read(key, now, &state) else { continue }
                if let decoded = stored.decoded {
                    found[position] = decoded
                } else {
                    undecoded.append((position, stored.value, stored.version))
                }
            }
        }
        guard !undecoded.isEmpty else { return found }
        // Decoded outside the lock (only the first read after a write), then kept with the entry
        // if it was not replaced meanwhile.
        var fresh: [(String, DecodedEntry, UInt64)] = []
        for item in undecoded {
            guard let decoded = decode(keys[item.position], item.bytes)?.kept else { continue }
            found[item.position] = decoded
            fresh.append((keys[item.position], decoded, item.version))
        }
        self.keepDecoded(fresh)
        return found
    }

    public func getDecodedInProcess(prefix: String, suffixes: [String], decode: (String, [UInt8]) -> DecodedEntry?) -> [DecodedEntry?] {
        let now = self.now()
        var found = [DecodedEntry?](repeating: nil, count: suffixes.count)
        var undecoded: [(position: Int, bytes: [UInt8], version: UInt64)] = []
        self.state.withLock { state in
            var expired: [String] = []
            if let bucket = state.byPrefix[prefix] {
                for (position, suffix) in suffixes.enumerated() {
                    guard let stored = bucket[suffix] else { continue }
                    guard self.renew(stored, now, &state) else {
                        expired.append(stored.key)
                        continue
                    }
                    if let decoded = stored.decoded {
                        found[position] = decoded
                    } else {
                        undecoded.append((position, stored.value, stored.version))
                    }
                }
            }
            // After the bucket's last use: removing while it is held would copy it.
            for key in expired { Self.remove(key, from: &state) }
        }
        guard !undecoded.isEmpty else { return found }
        var fresh: [(String, DecodedEntry, UInt64)] = []
        for item in undecoded {
            let key = prefix + suffixes[item.position]
            guard let decoded = decode(key, item.bytes)?.kept else { continue }
            found[item.position] = decoded
            fresh.append((key, decoded, item.version))
        }
        self.keepDecoded(fresh)
        return found
    }

    /// Keeps what was decoded outside the lock with its entry, unless the entry was replaced meanwhile.
    private func keepDecoded(_ fresh: [(String, DecodedEntry, UInt64)]) {
        guard !fresh.isEmpty else { return }
        self.state.withLock { state in
            for (key, decoded, version) in fresh {
                guard let stored = state.entries[key], stored.version == version else { continue }
                stored.decoded = decoded
            }
        }
    }

    /// Drops these keys (an L1 told by Redis that they changed).
    public func remove(keys: some Sequence<String>) {
        self.state.withLock { state in
            for key in keys { Self.remove(key, from: &state) }
        }
    }

    public func removeAll() {
        self.state.withLock { $0 = State() }
    }

    /// Entries held (for tests and metrics).
    public var count: Int { self.state.withLock { $0.entries.count } }

    /// The live entry of `key` (an expired one is removed), renewed for LRU.
    private func read(_ key: String, _ now: ContinuousClock.Instant, _ state: inout State) -> Stored? {
        guard let stored = state.entries[key] else { return nil }
        guard self.renew(stored, now, &state) else {
            Self.remove(key, from: &state)
            return nil
        }
        return stored
    }

    /// Whether `stored` is still live; a live one is renewed for LRU (the caller removes an expired one).
    private func renew(_ stored: Stored, _ now: ContinuousClock.Instant, _ state: inout State) -> Bool {
        if stored.expires <= now { return false }
        if self.eviction == .lru {
            state.tick += 1
            stored.tick = state.tick
        }
        return true
    }

    /// Files a resolver-cache entry under its key's prefix and rest (the prefix's string shared by
    /// the entries that have it).
    private static func index(_ stored: Stored, in state: inout State) {
        guard let length = CacheKeys.prefixLength(stored.key) else { return }
        let utf8 = stored.key.utf8
        let split = utf8.index(utf8.startIndex, offsetBy: length)
        var prefix = String(stored.key[..<split])
        let suffix = String(stored.key[split...])
        if let existing = state.byPrefix.index(forKey: prefix) { prefix = state.byPrefix[existing].key }
        stored.indexed = (prefix, suffix)
        state.byPrefix[prefix, default: SuffixTable()][suffix] = stored
    }

    private static func remove(_ key: String, from state: inout State) {
        guard let stored = state.entries.removeValue(forKey: key) else { return }
        state.bytes -= stored.value.count
        for tag in stored.tags { state.tagged[tag]?.remove(key) }
        if let (prefix, suffix) = stored.indexed {
            state.byPrefix[prefix]?[suffix] = nil
            if state.byPrefix[prefix]?.isEmpty == true { state.byPrefix[prefix] = nil }
        }
    }
}
