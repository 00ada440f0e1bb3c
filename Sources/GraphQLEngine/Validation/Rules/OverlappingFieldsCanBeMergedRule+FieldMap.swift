extension OverlappingFieldsCanBeMergedRule {
    /// Fields by response name (in document order) and the fragments spread, of one selection set.
    ///
    /// The fields are one list with a chain through those of each response name (no array per
    /// name), and a name is found by comparing the few names of a typical selection set; the
    /// dictionary is built only for a large one.
    final class FieldMap {
        struct Entry {
            let field: FieldAndDefinition
            /// The next entry with the same response name (-1: none).
            var next: Int
        }

        struct Key {
            let name: String
            let first: Int
            var last: Int
            var count: Int
        }

        let id: Int
        /// Every field, in document order.
        private(set) var entries: [Entry] = []
        /// The response names, in order of first appearance.
        private(set) var keys: [Key] = []
        /// Positions in `keys` by name, once there are more than `linearSearchLimit` names.
        private var keyIndexByName: [String: Int]?
        private static let linearSearchLimit = 12
        var fragmentNames: [String] = []

        init(id: Int, capacity: Int) {
            self.id = id
            self.entries.reserveCapacity(capacity)
            self.keys.reserveCapacity(capacity)
        }

        /// The position of a response name in `keys`.
        func keyIndex(_ name: String) -> Int? {
            if let keyIndexByName { return keyIndexByName[name] }
            return self.keys.firstIndex { $0.name == name }
        }

        func add(_ name: String, _ field: FieldAndDefinition) {
            let entry = self.entries.count
            self.entries.append(Entry(field: field, next: -1))
            if let index = self.keyIndex(name) {
                self.entries[self.keys[index].last].next = entry
                self.keys[index].last = entry
                self.keys[index].count += 1
                return
            }
            self.keyIndexByName?[name] = self.keys.count
            self.keys.append(Key(name: name, first: entry, last: entry, count: 1))
            if self.keyIndexByName == nil, self.keys.count > Self.linearSearchLimit {
                self.keyIndexByName = Dictionary(uniqueKeysWithValues: self.keys.enumerated().map { ($1.name, $0) })
            }
        }

        /// The fields of the response name at `key` in `keys`, in document order.
        func fields(_ key: Int) -> [FieldAndDefinition] {
            var fields: [FieldAndDefinition] = []
            var entry = self.keys[key].first
            while entry >= 0 {
                fields.append(self.entries[entry].field)
                entry = self.entries[entry].next
            }
            return fields
        }
    }
}
