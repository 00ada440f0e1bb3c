/// The field maps of one validation (graphql-js `getFieldsAndFragmentNames`): for each selection
/// set compared by the overlapping-fields rule, its fields by response name in document order and
/// the fragments it spreads.
///
/// Every map lives in the same few arrays (a map is ranges of them), so building one allocates
/// nothing once the arrays have grown: a document's maps cost a handful of allocations, not five
/// each. Maps are only added, so a position read before building another stays valid; callers
/// read entries by position rather than holding the arrays across a build.
final class FieldMapStore {
    /// A field with the parent type it was selected on and its definition there (both the
    /// schema's, which outlives the validation).
    struct FieldAndDefinition {
        unowned(unsafe) let parentType: GraphQLNamedType?
        let node: Field
        unowned(unsafe) let definition: GraphQLField?
    }

    /// One selection set's map: runs of `names` and `fragmentNames`.
    struct Map {
        /// The selection set's first row: the map's identity.
        let id: Int
        let names: Range<Int>
        let fragments: Range<Int>
        /// Into `indexes`, for a map with more names than are compared in turn (-1: none).
        let index: Int
    }

    /// The fields of every map, each with the index of the next of its response name (-1: last).
    @exclusivity(unchecked) private(set) var entries: [(field: FieldAndDefinition, next: Int32)] = []
    /// The response names of every map, with the first and last entries of each.
    @exclusivity(unchecked) private(set) var names: [(key: String, first: Int32, last: Int32)] = []
    /// The fragments each map spreads, each once.
    @exclusivity(unchecked) private(set) var fragmentNames: [String] = []
    /// Name positions by name, for maps with many names (a long selection set compared with
    /// another stays linear, not quadratic).
    @exclusivity(unchecked) private var indexes: [[String: Int]] = []
    /// The maps built, and each one's position there by its selection set's first row (`Map.id`;
    /// -1: not built).
    @exclusivity(unchecked) private var maps: [Map] = []
    @exclusivity(unchecked) private var mapByRow: [Int32] = []

    /// The map already built for the selection set starting at `row`.
    func map(forRow row: Int) -> Map? {
        guard row < self.mapByRow.count, self.mapByRow[row] >= 0 else { return nil }
        return self.maps[Int(self.mapByRow[row])]
    }

    /// The map of a selection set on `parentType`, built the first time it is asked for.
    func map(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet, schema: GraphQLSchema) -> Map {
        let row = Int(selectionSet.row.start)
        if let built = self.map(forRow: row) { return built }
        if self.mapByRow.isEmpty { self.reserve(for: selectionSet.nodes) }
        var builder = Builder(namesStart: self.names.count, fragmentsStart: self.fragmentNames.count)
        self.collect(parentType, selectionSet, schema, &builder)
        var index = -1
        if let positions = builder.namePositions {
            index = self.indexes.count
            self.indexes.append(positions)
        }
        let map = Map(id: row, names: builder.namesStart..<self.names.count, fragments: builder.fragmentsStart..<self.fragmentNames.count, index: index)
        if row >= self.mapByRow.count { self.mapByRow.append(contentsOf: repeatElement(-1, count: row + 1 - self.mapByRow.count)) }
        self.mapByRow[row] = Int32(truncatingIfNeeded: self.maps.count)
        self.maps.append(map)
        return map
    }

    /// The position in `names` of `key` in `map`, if the map has fields of that response name.
    func position(of key: String, in map: Map) -> Int? {
        if map.index >= 0 { return self.indexes[map.index][key] }
        return self.linearPosition(of: key, in: map.names)
    }

    /// The position of `key` among `names[positions]`, comparing in turn (lengths first, as
    /// `KeyPositions` does).
    private func linearPosition(of key: String, in positions: Range<Int>) -> Int? {
        let length = key.utf8.count
        for position in positions where self.names[position].key.utf8.count == length && self.names[position].key == key {
            return position
        }
        return nil
    }

    /// Whether more than one field has the response name at `position`.
    func hasSeveralFields(at position: Int) -> Bool {
        self.names[position].first != self.names[position].last
    }

    /// The fields of the response name at `position`, in document order.
    func fields(at position: Int) -> [FieldAndDefinition] {
        var fields: [FieldAndDefinition] = []
        var index = Int(self.names[position].first)
        while index >= 0 {
            fields.append(self.entries[index].field)
            index = Int(self.entries[index].next)
        }
        return fields
    }

    // MARK: Building

    /// Room for every field, spread and selection set of the document: the arrays grow once.
    private func reserve(for nodes: SelectionNodes) {
        self.entries.reserveCapacity(nodes.fields.count)
        self.names.reserveCapacity(nodes.fields.count)
        self.fragmentNames.reserveCapacity(nodes.spreads.count)
        self.mapByRow = Array(repeating: -1, count: nodes.selections.count)
    }

    /// Where a map being built starts, and its name tables once it has many names.
    private struct Builder {
        let namesStart: Int
        let fragmentsStart: Int
        var namePositions: [String: Int]?
        var fragmentPositions: Set<String>?
    }

    private func collect(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet, _ schema: GraphQLSchema, _ builder: inout Builder) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                var definition: GraphQLField?
                if let parentType, parentType.kind == .object || parentType.kind == .interface {
                    definition = parentType.field(field.nameValue)
                }
                self.add(FieldAndDefinition(parentType: parentType, node: field, definition: definition), &builder)
            case .fragmentSpread(let spread):
                self.addFragment(spread.name.value, &builder)
            case .inlineFragment(let fragment):
                let type = fragment.typeCondition.map { schema.type(named: $0.value) } ?? parentType
                self.collect(type, fragment.selectionSet, schema, &builder)
            }
        }
    }

    /// Adds a field under its response key.
    private func add(_ field: FieldAndDefinition, _ builder: inout Builder) {
        let index = Int32(truncatingIfNeeded: self.entries.count)
        self.entries.append((field, -1))
        let key = field.node.responseKey
        let position: Int?
        if let positions = builder.namePositions {
            position = positions[key]
        } else {
            position = self.linearPosition(of: key, in: builder.namesStart..<self.names.count)
        }
        if let position {
            self.entries[Int(self.names[position].last)].next = index
            self.names[position].last = index
            return
        }
        builder.namePositions?[key] = self.names.count
        self.names.append((key, index, index))
        if builder.namePositions == nil, self.names.count - builder.namesStart > KeyPositions.linearSearchLimit {
            var positions = [String: Int](minimumCapacity: 2 * (self.names.count - builder.namesStart))
            for position in builder.namesStart..<self.names.count { positions[self.names[position].key] = position }
            builder.namePositions = positions
        }
    }

    /// Adds a spread fragment's name unless the map has it.
    private func addFragment(_ name: String, _ builder: inout Builder) {
        if builder.fragmentPositions == nil {
            if self.fragmentNames[builder.fragmentsStart...].contains(name) { return }
            self.fragmentNames.append(name)
            if self.fragmentNames.count - builder.fragmentsStart > KeyPositions.linearSearchLimit {
                builder.fragmentPositions = Set(self.fragmentNames[builder.fragmentsStart...])
            }
        } else if builder.fragmentPositions?.insert(name).inserted == true {
            self.fragmentNames.append(name)
        }
    }
}
