/// Booleans kept by a pair of small integers (a field map and a fragment, or two fragments, that
/// the overlapping-fields rule compared), compared in turn while there are few — a document's
/// comparisons number a handful, and a `Dictionary` seeded and finalized a SipHash for each — and
/// through a dictionary past `linearLimit`, so a document of many fragments stays linear.
struct PairMemo {
    static let linearLimit = 32

    private var keys: [UInt64] = []
    private var values: [Bool] = []
    private var table: [UInt64: Bool]?

    private static func key(_ first: Int, _ second: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: first) << 32 | UInt64(truncatingIfNeeded: second) & 0xFFFF_FFFF
    }

    /// The value kept for the pair, if any.
    subscript(first: Int, second: Int) -> Bool? {
        let key = Self.key(first, second)
        if let table = self.table { return table[key] }
        return self.keys.firstIndex(of: key).map { self.values[$0] }
    }

    /// Keeps `value` for the pair, replacing an earlier one.
    mutating func set(_ first: Int, _ second: Int, _ value: Bool) {
        let key = Self.key(first, second)
        if self.table != nil {
            self.table?[key] = value
        } else if let index = self.keys.firstIndex(of: key) {
            self.values[index] = value
        } else {
            self.keys.append(key)
            self.values.append(value)
            if self.keys.count > Self.linearLimit {
                self.table = Dictionary(uniqueKeysWithValues: zip(self.keys, self.values))
            }
        }
    }
}
