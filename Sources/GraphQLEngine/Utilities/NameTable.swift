/// The names a schema defines (its types, a type's fields, input fields or enum values), each
/// with its position in definition order, found by a hash of their UTF-8 bytes.
///
/// Every field of every document is looked up by name in such a table, several times per request
/// (validation, plan compilation, coercion). `Dictionary<String, _>` seeds and finalizes a SipHash
/// per lookup (~3× the cost of this table's FNV-1a over a name's bytes, measured). A fast,
/// unkeyed hash is safe here because the keys are the schema's, never a client's: a client's name
/// only probes, so its cost is bounded by the probe runs the schema's own names make. Do not use
/// this table for names a document or a downstream supplies.
///
/// A class: a schema's types hold their tables for good, and a lookup through a struct kept in a
/// class property copied it (a retain and release of both arrays per lookup). Filled while the
/// schema is built, only read afterwards, so it is shared across tasks and skips exclusivity checks.
final class NameTable: @unchecked Sendable {
    /// Positions into `names` by hash (`-1`: empty); a power of two, at most half full.
    @exclusivity(unchecked) private var slots: [Int32]
    /// The names, in the order they were added.
    @exclusivity(unchecked) private(set) var names: [String] = []

    init() {
        self.slots = Array(repeating: -1, count: 8)
    }

    /// The positions of `names`; a repeated name keeps its first position.
    convenience init(_ names: some Sequence<String>) {
        self.init()
        for name in names { self.insert(name) }
    }

    var count: Int { self.names.count }

    /// The position of `name`, if the table has it.
    @inline(__always)
    func position(of name: String) -> Int? {
        let mask = self.slots.count - 1
        var slot = Self.hash(name) & mask
        while true {
            let position = self.slots[slot]
            if position < 0 { return nil }
            if self.names[Int(position)] == name { return Int(position) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `name` at the end unless the table has it; returns its position.
    @discardableResult
    func insert(_ name: String) -> (position: Int, inserted: Bool) {
        if let position = self.position(of: name) { return (position, false) }
        let position = self.names.count
        self.names.append(name)
        if self.names.count * 2 > self.slots.count {
            self.slots = Array(repeating: -1, count: self.slots.count * 2)
            for (index, existing) in self.names.enumerated() { self.place(existing, at: index) }
        } else {
            self.place(name, at: position)
        }
        return (position, true)
    }

    private func place(_ name: String, at position: Int) {
        let mask = self.slots.count - 1
        var slot = Self.hash(name) & mask
        while self.slots[slot] >= 0 { slot = (slot + 1) & mask }
        self.slots[slot] = Int32(truncatingIfNeeded: position)
    }

    /// FNV-1a over the name's UTF-8 bytes taken eight at a time (a name is mostly one or two
    /// words), high bits folded in (the table masks the low ones).
    @inline(__always)
    static func hash(_ name: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var name = name
        name.withUTF8 { bytes in
            guard let base = UnsafeRawPointer(bytes.baseAddress) else { return }
            var offset = 0
            while offset + 8 <= bytes.count {
                hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
                offset += 8
            }
            var tail: UInt64 = UInt64(truncatingIfNeeded: bytes.count)
            while offset < bytes.count {
                tail = (tail << 8) | UInt64(bytes[offset])
                offset += 1
            }
            hash = (hash ^ tail) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
