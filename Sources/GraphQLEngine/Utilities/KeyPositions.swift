/// Distinct string keys in the order they were added, with each key's position.
///
/// A key is found by comparing keys while there are few (most objects, selection sets and field
/// maps: comparing short strings beats hashing them), and through a dictionary made once there
/// are more than `linearSearchLimit`.
struct KeyPositions: Sendable {
    static let linearSearchLimit = 16

    private(set) var keys: [String] = []
    private var index: [String: Int]?

    init() {}

    /// Room for `capacity` keys without growing (the dictionary still comes past the limit).
    init(minimumCapacity capacity: Int) {
        self.keys.reserveCapacity(capacity)
    }

    /// The positions of keys known to be distinct (not compared with each other).
    init(uniqueKeys keys: [String]) {
        self.keys = keys
        if keys.count > Self.linearSearchLimit { self.index = Self.makeIndex(keys) }
    }

    /// The position of `key`, if it was added.
    @inline(__always)
    func position(of key: String) -> Int? {
        if let index = self.index { return index[key] }
        return Self.linearPosition(of: key, in: self.keys)
    }

    /// The position of `key` in `keys` by comparing them in turn: unequal lengths first (one load
    /// each), as most keys compared are different names and the string comparison's out-of-line path
    /// is the cost of a linear search.
    @inline(__always)
    static func linearPosition(of key: String, in keys: [String]) -> Int? {
        let length = key.utf8.count
        for position in keys.indices where keys[position].utf8.count == length && keys[position] == key { return position }
        return nil
    }

    /// The position of `key`, added at the end if it is new.
    @discardableResult
    mutating func insert(_ key: String) -> (position: Int, inserted: Bool) {
        if let position = self.position(of: key) { return (position, false) }
        let position = self.keys.count
        self.keys.append(key)
        if self.index != nil {
            self.index?[key] = position
        } else if self.keys.count > Self.linearSearchLimit {
            self.index = Self.makeIndex(self.keys)
        }
        return (position, true)
    }

    /// The distinct keys of `pairs` and one item per key: a repeated key keeps its first position
    /// and its last item (as a dictionary would).
    static func folding<Item>(_ pairs: some Sequence<(String, Item)>) -> (keys: KeyPositions, items: [Item]) {
        var keys = KeyPositions()
        var items: [Item] = []
        for (key, item) in pairs {
            let (position, inserted) = keys.insert(key)
            if inserted { items.append(item) } else { items[position] = item }
        }
        return (keys, items)
    }

    /// Forgets every key, keeping the storage for the next use.
    mutating func removeAll() {
        self.keys.removeAll(keepingCapacity: true)
        self.index?.removeAll(keepingCapacity: true)
    }

    /// Positions by key; a repeated key keeps its first position.
    private static func makeIndex(_ keys: [String]) -> [String: Int] {
        var index = [String: Int](minimumCapacity: keys.count * 2)
        for (position, key) in keys.enumerated() where index[key] == nil { index[key] = position }
        return index
    }
}

/// Whether a name occurs more than once (compared while few: the uniqueness rules check this
/// first, and build their tables of locations only for a document that repeats a name).
func hasRepeatedName(_ names: [String]) -> Bool {
    var seen = KeyPositions(minimumCapacity: names.count)
    for name in names where !seen.insert(name).inserted { return true }
    return false
}
