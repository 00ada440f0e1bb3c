import Logging
import RedisClient
import Synchronization
import Tracing

/// The shared cache: entries in Redis (one server or a cluster) with `SET … EX`, tags as Redis
/// sets, so an invalidation on one replica is seen by all (no `KEYS`/`SCAN`: a tag's set lists its keys).
public final class RedisCacheStore: CacheStore {
    public let name = "redis"
    private let client: any RedisCommandRunner
    private let logger: Logger
    private let failures = Mutex(0)
    private let pending = PendingInvalidations()

    public init(client: any RedisCommandRunner, logger: Logger = Logger(label: "nilecare.cache")) {
        self.client = client
        self.logger = logger
        GatewayMetrics.cacheInvalidationsPending(0)
    }

    public func get(_ keys: [String]) async -> [String: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        // What an invalidation that failed left may be stale: retried first, and nothing is read until it succeeds.
        guard await self.retryPendingInvalidations() else { return [:] }
        return await withSpanIfTracing("redis MGET", ofKind: .client) { span in
            span.setAttributesIfRecording {
                $0["db.system"] = "redis"
                $0["db.operation.name"] = "MGET"
                $0["db.operation.batch.size"] = keys.count
            }
            return await self.getUntraced(keys)
        }
    }

    private func getUntraced(_ keys: [String]) async -> [String: [UInt8]] {
        do {
            let values = try await self.client.mget(keys.map { Array($0.utf8) })
            var found: [String: [UInt8]] = [:]
            for (key, value) in zip(keys, values) {
                if case .bulkString(let bytes?) = value { found[key] = bytes }
            }
            return found
        } catch {
            self.failed(error)
            return [:]
        }
    }

    /// Failures and lost connections so far: a failure may have been an outage in which an
    /// invalidation could not run; a lost connection may be a Redis restarted (or failed over)
    /// without the marks invalidations left, even when this replica sent nothing meanwhile.
    public var outageEpoch: Int { self.failureCount &+ self.client.connectionsLost }

    /// Skipped when Redis failed or a connection was lost since `epoch`: the entries were fetched
    /// before a possible outage in which a mutation's invalidation may have failed, or whose
    /// restart lost its mark. Checked again after the write: tagged entries are then not published.
    public func set(_ entries: [CacheEntry], unlessOutageSince epoch: Int) async {
        guard self.outageEpoch == epoch else { return }
        await self.set(entries, checkingEpoch: epoch)
    }

    public func set(_ entries: [CacheEntry]) async {
        await self.set(entries, checkingEpoch: nil)
    }

    private func set(_ entries: [CacheEntry], checkingEpoch epoch: Int?) async {
        guard !entries.isEmpty else { return }
        await withSpanIfTracing("redis SET pipeline", ofKind: .client) { span in
            span.setAttributesIfRecording {
                $0["db.system"] = "redis"
                $0["db.operation.batch.size"] = entries.count
            }
            await self.setUntraced(entries, epoch: epoch)
        }
    }

    /// One entry to write: its key, and the staging key it is written under first (`nil`: in place).
    private struct Write {
        let entry: CacheEntry
        let key: [UInt8]
        let stagingKey: [UInt8]?

        init(_ entry: CacheEntry) {
            self.entry = entry
            self.key = Array(entry.key.utf8)
            self.stagingKey = entry.tags.isEmpty ? nil : RedisCacheStore.stagingKey(self.key)
        }

        /// Tagged, yet visible from the moment it is written.
        var isUnstagedTagged: Bool { self.stagingKey == nil && !self.entry.tags.isEmpty }
    }

    private func setUntraced(_ entries: [CacheEntry], epoch: Int?) async {
        // Each entry with tags is written under its staging key, which no read asks for, and
        // published (`RENAME`) only once a check after the write finds none of its tags marked by
        // an invalidation; an invalidation deletes the staging keys of the entries its tag sets
        // list, so a rename after it finds nothing to publish. An entry without tags (no
        // invalidation reaches it) is written in place.
        var writes = entries.map(Write.init)
        // A tagged entry written in place is checked before the write as well: one of a tag
        // already marked is then never visible (only one marked in between is, until withdrawn).
        let unstaged = writes.filter(\.isUnstagedTagged).map(\.entry)
        if !unstaged.isEmpty {
            do throws(RedisError) {
                let marked = try await self.markedTags(of: unstaged)
                writes.removeAll { $0.isUnstagedTagged && !marked.isDisjoint(with: $0.entry.tags) }
            } catch {
                self.failed(error)
                return
            }
        }
        guard !writes.isEmpty else { return }
        var commands: [[[UInt8]]] = []
        var tagLifetimes: [String: Int] = [:]
        for write in writes {
            let seconds = max(1, Int(write.entry.ttl.components.seconds))
            commands.append([Array("SET".utf8), write.stagingKey ?? write.key, write.entry.value, Array("EX".utf8), Array(String(seconds).utf8)])
            for tag in write.entry.tags {
                commands.append([Array("SADD".utf8), Array(tag.utf8), write.key])
                tagLifetimes[tag] = max(tagLifetimes[tag] ?? 0, seconds)
            }
        }
        // A tag set lives as long as its longest entry, so it never outlives what it lists by much.
        for (tag, seconds) in tagLifetimes {
            commands.append([Array("EXPIRE".utf8), Array(tag.utf8), Array(String(seconds).utf8)])
        }
        do {
            for reply in try await self.client.pipeline(commands) { _ = try reply.get() }
            try await self.publish(writes, epoch: epoch)
        } catch {
            // A write that timed out may still have landed, unchecked against invalidations that
            // raced it: it is withdrawn (best effort) rather than left to serve stale data.
            self.failed(error)
            try? await self.client.delete(writes.map(\.key) + writes.compactMap(\.stagingKey))
        }
    }

    /// The key marking a tag invalidated within `invalidationWindow`.
    static func tombstone(_ tag: String) -> [UInt8] { Array("nc:tomb:\(tag)".utf8) }

    private static let stagingPrefix = Array("nc:~staged:".utf8)

    /// Where an entry is written before it is published: a key in the entry's cluster slot (so
    /// that `RENAME` can move it), which no read asks for. `nil` for a key whose slot no other key
    /// can be made to share (a `}` without a hash tag): such an entry is written in place, and
    /// withdrawn if its check after the write finds a mark.
    static func stagingKey(_ key: [UInt8]) -> [UInt8]? {
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        let prefix = Self.stagingPrefix
        if let start = key.firstIndex(of: open), let end = key[(start + 1)...].firstIndex(of: close), end > start + 1 {
            return prefix + key  // the key's own hash tag decides both slots
        }
        guard !key.contains(close) else { return nil }
        return prefix + [open] + key + [close]  // the whole key is the hash tag, as it is the key's
    }

    /// Publishes the staged entries none of whose tags an invalidation has marked since the
    /// write, and deletes the others. Checked after the write: a mutation's invalidation marks its
    /// tags before reading their sets, so either it deletes this entry (and its staging key) or
    /// this check sees its mark. A mark is only as good as the Redis that holds it: when Redis
    /// failed or lost a connection since `epoch` (when given), no tagged entry is published.
    private func publish(_ writes: [Write], epoch: Int?) async throws(RedisError) {
        let marked = try await self.markedTags(of: writes.map(\.entry))
        let marksMayBeLost = epoch.map { $0 != self.outageEpoch } ?? false
        var renames: [[[UInt8]]] = []
        var doomed: [[UInt8]] = []
        for write in writes where !write.entry.tags.isEmpty {
            if marksMayBeLost || !marked.isDisjoint(with: write.entry.tags) {
                doomed.append(write.stagingKey ?? write.key)
            } else if let stagingKey = write.stagingKey {
                renames.append([Array("RENAME".utf8), stagingKey, write.key])
            }
        }
        if !doomed.isEmpty { try await self.client.delete(doomed) }
        // A rename whose staging key an invalidation deleted fails ("no such key"): not published.
        if !renames.isEmpty { _ = try await self.client.pipeline(renames) }
    }

    /// The tags of `entries` an invalidation has marked (or whose mark could not be read).
    private func markedTags(of entries: [CacheEntry]) async throws(RedisError) -> Set<String> {
        let tags = Array(Set(entries.flatMap(\.tags)))
        guard !tags.isEmpty else { return [] }
        let replies = try await self.client.pipeline(tags.map { [Array("EXISTS".utf8), Self.tombstone($0)] })
        var marked = Set<String>()
        for (tag, reply) in zip(tags, replies) {
            switch reply {
            case .success(.integer(let count)) where count == 0: continue
            default: marked.insert(tag)  // marked, or unknown: not kept
            }
        }
        return marked
    }

    public func invalidate(tags: [String]) async {
        await self.deleteTagged(tags)
    }

    /// Deletes the entries of `tags` and the tag sets; returns the entry keys deleted.
    ///
    /// A mutation's invalidation matters more than any read: tried three times over ~0.3 s, then kept pending
    /// (retried before every later read, which finds nothing until it succeeds), so entries Redis
    /// kept through an outage are not served once it answers again.
    @discardableResult
    func deleteTagged(_ tags: [String]) async -> [String] {
        guard !tags.isEmpty else { return [] }
        // Tags still pending from a failed invalidation go along: if Redis answers, theirs are done too.
        let earlier = self.pending.some(1_000)
        let all = earlier.isEmpty ? tags : Array(Set(tags + earlier))
        for attempt in 1...3 {
            do throws(RedisError) {
                let deleted = try await self.deleteTaggedOnce(all)
                if !earlier.isEmpty { self.pending.remove(earlier) }
                return deleted
            } catch {
                self.failed(error)
                if attempt == 3 {
                    self.keepPending(tags, after: error)
                } else {
                    // A Redis busy for a moment (reconnecting replicas after a restart, a loaded
                    // host) often answers a little later: the attempts are spread over ~0.3 s.
                    try? await Task.sleep(for: .milliseconds(attempt == 1 ? 50 : 250))
                }
            }
        }
        return []
    }

    /// Keeps `tags` pending after their invalidation failed.
    private func keepPending(_ tags: [String], after error: RedisError) {
        let dropped = self.pending.add(tags)
        self.logger.error(
            "cache invalidation failed; retried before the next read", metadata: ["tags": "\(tags.count)", "error": "\(error.shortDescription)"])
        if dropped > 0 {
            self.logger.critical("cache invalidations pending past the bound were dropped", metadata: ["dropped": "\(dropped)", "bound": "\(self.pending.limit)"])
        }
    }

    /// Deletes what failed invalidations left pending; whether none is left.
    private func retryPendingInvalidations() async -> Bool {
        guard !self.pending.isEmpty else { return true }
        guard self.pending.beginRetry() else { return false }
        defer { self.pending.endRetry() }
        let tags = self.pending.some(1_000)
        do throws(RedisError) {
            _ = try await self.deleteTaggedOnce(tags)
            self.pending.remove(tags)
            self.logger.notice("pending cache invalidations done", metadata: ["tags": "\(tags.count)"])
        } catch {
            self.failed(error)
        }
        return self.pending.isEmpty
    }

    /// Tags whose invalidation failed and is still to be retried.
    public var pendingInvalidations: Int { self.pending.count }

    /// Marks the tags (see `publish`), then deletes what their sets list (entries and their
    /// staging keys), and the sets.
    private func deleteTaggedOnce(_ tags: [String]) async throws(RedisError) -> [String] {
        let seconds = Array(String(invalidationWindow.components.seconds).utf8)
        for mark in try await self.client.pipeline(tags.map { [Array("SET".utf8), Self.tombstone($0), Array("1".utf8), Array("EX".utf8), seconds] }) {
            _ = try mark.get()
        }
        var entryKeys: [[UInt8]] = []
        for members in try await self.client.pipeline(tags.map { [Array("SMEMBERS".utf8), Array($0.utf8)] }) {
            guard case .array(let values?) = try members.get() else { continue }
            for value in values { if let bytes = value.bytes { entryKeys.append(bytes) } }
        }
        try await self.client.delete(tags.map { Array($0.utf8) } + entryKeys + entryKeys.compactMap(Self.stagingKey))
        return entryKeys.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether Redis answers. Readiness probes ask often, so pending invalidations are retried here
    /// too: a replica that serves no reads still gets them done.
    public func isHealthy() async -> Bool {
        _ = await self.retryPendingInvalidations()
        return await self.client.ping()
    }

    /// Commands that failed (Redis down or slow); the request went on uncached.
    public var failureCount: Int { self.failures.withLock { $0 } }

    private func failed(_ error: RedisError) {
        self.failures.withLock { $0 += 1 }
        GatewayMetrics.cacheError(store: self.name)
        self.logger.debug("cache backend failed; serving uncached", metadata: ["error": "\(error.shortDescription)"])
    }
}
