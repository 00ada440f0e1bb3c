import GraphQLEngine

/// Values by short string key, for the in-memory cache's entries of one key prefix: a field's
/// cached parents are found with one look-up each, through `OrderedKeys` (a seeded multiply hash,
/// falling back to a SipHash dictionary against colliding keys) instead of a SipHash per key.
///
/// A removed key keeps its position (its value becomes `nil`) and is reused if the key comes
/// back; once removed keys outnumber live ones the table is rebuilt from the live ones, so keys
/// that come and go do not grow it without bound.
struct SuffixTable<Value> {
    private var keys = OrderedKeys()
    private var values: [Value?] = []
    /// Keys with a value.
    private(set) var count = 0

    var isEmpty: Bool { self.count == 0 }
    /// Positions held, live or removed (at most about twice `count` past a few).
    var positionCount: Int { self.values.count }

    subscript(key: String) -> Value? {
        get {
            guard let position = self.keys.position(of: key) else { return nil }
            return self.values[position]
        }
        set {
            if let newValue {
                self.set(key, newValue)
            } else {
                self.remove(key)
            }
        }
    }

    private mutating func set(_ key: String, _ value: Value) {
        let (position, inserted) = self.keys.insert(key)
        if inserted {
            self.values.append(value)
            self.count += 1
        } else {
            if self.values[position] == nil { self.count += 1 }
            self.values[position] = value
        }
    }

    private mutating func remove(_ key: String) {
        guard let position = self.keys.position(of: key), self.values[position] != nil else { return }
        self.values[position] = nil
        self.count -= 1
        if self.values.count > 16, self.values.count > 2 * self.count { self.compact() }
    }

    /// Rebuilds the table from its live keys (positions change; nothing outside holds them).
    private mutating func compact() {
        var table = SuffixTable()
        for (position, key) in self.keys.keys.enumerated() {
            if let value = self.values[position] { table.set(key, value) }
        }
        self = table
    }
}
