/// Distinct string keys in first-seen order, each found by its position: a level's parent keys
/// for one field, the keys an endpoint's calls ask for, a document's fragment names.
///
/// Every parent of a batched field looks its key up here, several hundred per request, and
/// `Dictionary<String, Int>` seeds and finalizes a SipHash for each (~6% of a cached request).
/// This table hashes a key's bytes a word at a time with a 64×64→128-bit multiply, seeded per
/// process, and keeps 32 bits of each hash beside the position so most unequal keys are told
/// apart without comparing strings. The keys come from downstream data and from clients'
/// arguments, so a flood of colliding keys must not make it quadratic: an insertion whose probe
/// run passes `probeLimit` (96; a half-full table of random hashes reaches ~40 at 4,096 keys)
/// moves the table to a `Dictionary` (SipHash, randomly seeded) for good.
package struct OrderedKeys: Sendable {
    /// The keys, in the order they were first inserted.
    package private(set) var keys: [String] = []
    /// Open addressing, a power of two at most half full: 0 is empty, else the hash's high 32 bits
    /// above the key's position plus one.
    private var slots: [UInt64] = []
    /// Set once probe runs grew too long; then the only index.
    private var fallback: [String: Int]?

    /// Past this many probes an insertion falls back (tests give 0 to take that path).
    package let probeLimit: Int
    private static let processSeed = UInt64.random(in: .min ... .max)
    /// The process's seed, read once per table (a static read per hash went through `swift_once`).
    private let seed = OrderedKeys.processSeed

    package init(probeLimit: Int = 96) {
        self.probeLimit = probeLimit
    }

    /// Whether the table moved to its `Dictionary` (probe runs grew past `probeLimit`).
    package var usesFallback: Bool { self.fallback != nil }

    package var count: Int { self.keys.count }

    /// Up to this many keys are compared, not hashed: a table costs an allocation and a hash per
    /// key, more than comparing a few keys (most of them of other lengths).
    static let linearLimit = 8

    /// Room for `capacity` keys in all without growing (at least doubling when it grows: repeated
    /// exact reservations would copy on every call).
    package mutating func reserveCapacity(_ capacity: Int) {
        if self.keys.capacity < capacity { self.keys.reserveCapacity(max(capacity, 2 * self.keys.capacity)) }
        if self.fallback != nil {
            self.fallback?.reserveCapacity(capacity)
        } else if capacity > Self.linearLimit, capacity * 2 > self.slots.count {
            self.rehash(slotCount: Self.slotCount(for: capacity))
        }
    }

    /// The position of `key`, if it was inserted.
    package func position(of key: String) -> Int? {
        if let fallback = self.fallback { return fallback[key] }
        if self.slots.isEmpty { return KeyPositions.linearPosition(of: key, in: self.keys) }
        let hash = Self.hash(key, seed: self.seed)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = self.slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if self.keys[position] == key { return position }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The position of `key`, added at the end if it is new.
    @discardableResult
    package mutating func insert(_ key: String) -> (position: Int, inserted: Bool) {
        if self.fallback != nil { return self.insertInFallback(key) }
        if self.slots.isEmpty, self.keys.count < Self.linearLimit {
            if let position = KeyPositions.linearPosition(of: key, in: self.keys) { return (position, false) }
            self.keys.append(key)
            return (self.keys.count - 1, true)
        }
        if (self.keys.count + 1) * 2 > self.slots.count {
            self.rehash(slotCount: Self.slotCount(for: self.keys.count + 1))
            // Growing met a run past the limit: the table is gone, the dictionary answers.
            if self.fallback != nil { return self.insertInFallback(key) }
        }
        let hash = Self.hash(key, seed: self.seed)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        var probes = 0
        while true {
            let entry = self.slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if self.keys[position] == key { return (position, false) }
            }
            probes += 1
            if probes > self.probeLimit {
                self.fallBack()
                return self.insertInFallback(key)
            }
            slot = (slot + 1) & mask
        }
        let position = self.keys.count
        self.keys.append(key)
        self.slots[slot] = tag | UInt64(position + 1)
        return (position, true)
    }

    private mutating func insertInFallback(_ key: String) -> (position: Int, inserted: Bool) {
        let position = self.keys.count
        if let earlier = self.fallback?.updateValue(position, forKey: key) {
            self.fallback?[key] = earlier
            return (earlier, false)
        }
        self.keys.append(key)
        return (position, true)
    }

    private mutating func fallBack() {
        var index = [String: Int](minimumCapacity: self.keys.count * 2)
        for (position, key) in self.keys.enumerated() { index[key] = position }
        self.fallback = index
        self.slots = []
    }

    private static func slotCount(for capacity: Int) -> Int {
        var count = 8
        while count < capacity * 2 { count *= 2 }
        return count
    }

    /// Re-files every key in a table of `slotCount` slots (a long run while doing so falls back).
    private mutating func rehash(slotCount: Int) {
        self.slots = [UInt64](repeating: 0, count: slotCount)
        let mask = slotCount - 1
        for (position, key) in self.keys.enumerated() {
            let hash = Self.hash(key, seed: self.seed)
            var slot = Int(truncatingIfNeeded: hash) & mask
            var probes = 0
            while self.slots[slot] != 0 {
                probes += 1
                if probes > self.probeLimit { return self.fallBack() }
                slot = (slot + 1) & mask
            }
            self.slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        }
    }

    /// The key's UTF-8 bytes eight at a time, each word mixed into the state by a full-width
    /// multiply (high and low halves folded), the length and the process's seed mixed in first.
    @inline(__always)
    package static func hash(_ key: String, seed: UInt64) -> UInt64 {
        var key = key
        return key.withUTF8 { bytes in
            var state = seed ^ (UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15)
            guard let base = UnsafeRawPointer(bytes.baseAddress) else { return Self.mix(state) }
            var offset = 0
            while offset + 8 <= bytes.count {
                state = Self.mix(state ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            return Self.mix(state ^ tail)
        }
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = (value ^ 0xA076_1D64_78BD_642F).multipliedFullWidth(by: 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }
}
