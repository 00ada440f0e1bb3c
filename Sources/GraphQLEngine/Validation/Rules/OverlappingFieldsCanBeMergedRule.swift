/// Overlapping fields can be merged
///
/// A selection set is only valid if all fields (including spreading any fragments) either
/// correspond to distinct response names or can be merged without ambiguity.
///
/// A port of graphql-js's algorithm: field maps are computed once per selection set, pairs of
/// fragments are compared once, and fragments compared against a field map once.
///
/// See https://spec.graphql.org/October2021/#sec-Field-Selection-Merging
final class OverlappingFieldsCanBeMergedRule: ValidationRule {
    let hooks: ValidationHooks = [.enterSelectionSet]

    /// A field with the parent type it was selected on and its definition there.
    struct FieldAndDefinition {
        let parentType: GraphQLNamedType?
        let node: Field
        let definition: GraphQLField?
    }

    /// Fields by response name (in document order) and the fragments spread, of one selection set.
    ///
    /// The fields are one array in document order, each linked to the next of its response name:
    /// a map is a few arrays, not one per response name.
    final class FieldMap {
        let id: Int
        @exclusivity(unchecked) var responseNames: KeyPositions
        /// The fields in document order, each with the index of the next of its response name.
        @exclusivity(unchecked) private var entries: [(field: FieldAndDefinition, next: Int)] = []
        /// The first and last entries of each response name, by its position in `responseNames`.
        @exclusivity(unchecked) private var ends: [(first: Int, last: Int)] = []
        @exclusivity(unchecked) var fragmentNames = KeyPositions()

        init(id: Int, capacity: Int) {
            self.id = id
            self.responseNames = KeyPositions(minimumCapacity: capacity)
            self.entries.reserveCapacity(capacity)
            self.ends.reserveCapacity(capacity)
        }

        /// Adds a field under its response key.
        func add(_ field: FieldAndDefinition) {
            let index = self.entries.count
            self.entries.append((field, -1))
            let (position, isNew) = self.responseNames.insert(field.node.responseKey)
            if isNew {
                self.ends.append((index, index))
            } else {
                self.entries[self.ends[position].last].next = index
                self.ends[position].last = index
            }
        }

        /// Whether more than one field has the response name at `position`.
        func hasSeveralFields(at position: Int) -> Bool {
            self.ends[position].first != self.ends[position].last
        }

        /// The fields of the response name at `position`, in document order.
        func fields(at position: Int) -> [FieldAndDefinition] {
            var fields: [FieldAndDefinition] = []
            _ = self.forEachField(at: position) { field in
                fields.append(field)
                return true
            }
            return fields
        }

        /// Calls `body` with each field of the response name at `position`, in document order,
        /// while it returns `true`; whether it always did.
        func forEachField(at position: Int, _ body: (FieldAndDefinition) -> Bool) -> Bool {
            var index = self.ends[position].first
            while index >= 0 {
                if !body(self.entries[index].field) { return false }
                index = self.entries[index].next
            }
            return true
        }
    }

    /// A conflict: the response name, the reason (a message or sub-conflicts), and the fields.
    struct Conflict {
        indirect enum Reason {
            case message(String)
            case subfields([(String, Reason)])
        }

        let responseName: String
        let reason: Reason
        let fields1: [Field]
        let fields2: [Field]
    }

    /// Field maps by their selection set's first row in the document's selection store (an array
    /// index: every set and fragment is looked up here).
    @exclusivity(unchecked) private var cache: [FieldMap?] = []
    /// A selection set's field map (by id) compared with a fragment (by definition index: no
    /// string hashed per comparison).
    private struct MapAndFragment: Hashable {
        let map: Int
        let fragment: Int
    }

    /// Two fragments compared, by definition index, in order.
    private struct FragmentPair: Hashable {
        let first: Int
        let second: Int

        init(_ index1: Int, _ index2: Int) {
            (self.first, self.second) = index1 < index2 ? (index1, index2) : (index2, index1)
        }
    }

    @exclusivity(unchecked) private var comparedFragmentPairs: [FragmentPair: Bool] = [:]
    @exclusivity(unchecked) private var comparedFieldsAndFragments: [MapAndFragment: Bool] = [:]
    @exclusivity(unchecked) private var context: ValidationContext!
    /// Field pairs compared so far in this document. Comparing is quadratic in the fields that
    /// share a response name; past `maxComparisons` the document is refused rather than checked
    /// for seconds (no real operation comes near: they compare hundreds).
    @exclusivity(unchecked) private var comparisons = 0
    static let maxComparisons = 50_000
    private var isOverBudget: Bool { self.comparisons > Self.maxComparisons }

    func enter(_ selectionSet: SelectionSet, _ context: ValidationContext) -> VisitAction {
        self.context = context
        guard !context.isAborted else { return .skipChildren }
        let conflicts = self.findConflictsWithin(context.parentType, selectionSet)
        if self.isOverBudget {
            context.abort(
                "The document has too many fields with the same response name to check that they can be merged (more than \(Self.maxComparisons) comparisons). Validation aborted."
            )
            return .skipChildren
        }
        for conflict in conflicts {
            context.report(
                "Fields \(quoted: "\(conflict.responseName)") conflict because \(Self.message(conflict.reason)). Use different aliases on the fields to fetch both if this was intentional.",
                at: (conflict.fields1 + conflict.fields2).map(\.location))
        }
        return .continue
    }

    static func message(_ reason: Conflict.Reason) -> String {
        switch reason {
        case .message(let text): text
        case .subfields(let reasons):
            reasons.map { "subfields \(quoted: "\($0.0)") conflict because \(message($0.1))" }.joined(separator: " and ")
        }
    }

    // MARK: The algorithm

    private func findConflictsWithin(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet) -> [Conflict] {
        if Self.fieldsWithDistinctKeys(selectionSet) { return [] }
        var conflicts: [Conflict] = []
        let fieldMap = self.fieldsAndFragmentNames(parentType, selectionSet)
        // (A) Conflicts within the fields of this selection set.
        for (position, key) in fieldMap.responseNames.keys.enumerated() where fieldMap.hasSeveralFields(at: position) {
            self.collectConflictsWithin(&conflicts, key, fieldMap.fields(at: position))
        }
        let names = fieldMap.fragmentNames.keys
        for i in 0..<names.count {
            // (B) Between these fields and each spread fragment.
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, false, fieldMap, names[i])
            // (C) Between the fragments spread together.
            for j in (i + 1)..<names.count {
                self.collectConflictsBetweenFragments(&conflicts, false, names[i], names[j])
            }
        }
        return conflicts
    }

    /// Whether a selection set is only fields, each with a response key of its own (the usual
    /// case), or a lone fragment spread: nothing in it can conflict (its fields' sub-selections,
    /// and the fragment's own fields, are checked when the walk enters them), so no field map is
    /// built for it unless a comparison above asks for one.
    private static func fieldsWithDistinctKeys(_ selectionSet: SelectionSet) -> Bool {
        let selections = selectionSet.selections
        if selections.count == 1, case .fragmentSpread = selections[0] { return true }
        guard selections.count <= KeyPositions.linearSearchLimit else { return false }
        for index in selections.indices {
            guard case .field(let field) = selections[index] else { return false }
            for earlier in 0..<index {
                if case .field(let other) = selections[earlier], other.responseKey == field.responseKey { return false }
            }
        }
        return true
    }

    /// Compares every pair of fields of one response name. Fields with the same signature (parent
    /// type, name, arguments, printed sub-selection) behave alike, so each pair of signatures is
    /// compared once, through one field of each: thousands of repeated fields stay cheap. Only a
    /// pair of signatures that conflicts is compared field by field, so the errors stay
    /// graphql-js's, one per pair of fields (and the error limit bounds that work).
    private func collectConflictsWithin(_ conflicts: inout [Conflict], _ key: String, _ fields: [FieldAndDefinition]) {
        var classes: [[Int]] = []
        var classBySignature: [String: Int] = [:]
        for (index, field) in fields.enumerated() {
            let parent = field.parentType.map { String(describing: ObjectIdentifier($0)) } ?? "-"
            var signature = "\(parent)|\(field.node.name.value)|" + field.node.arguments.map { "\($0.name.value):\(stringifyValue($0.value))" }.sorted().joined(separator: ",")
            if let selectionSet = field.node.selectionSet { signature += "|" + Printer.print(selectionSet) }
            if let existing = classBySignature[signature] {
                classes[existing].append(index)
            } else {
                classBySignature[signature] = classes.count
                classes.append([index])
            }
        }
        for a in classes.indices {
            for b in a..<classes.count {
                if self.isOverBudget || conflicts.count > self.context.maxErrors { return }
                let first = classes[a][0]
                guard let second = a == b ? classes[a].dropFirst().first : classes[b][0] else { continue }
                let representatives = (min(first, second), max(first, second))
                guard let found = self.findConflict(false, key, fields[representatives.0], fields[representatives.1]) else { continue }
                // These two signatures conflict: every pair of their fields, in document order (the
                // comparisons are memoized, so the pair already compared keeps the conflict found).
                for i in classes[a] {
                    for j in classes[b] where a != b || i < j {
                        if conflicts.count > self.context.maxErrors { return }
                        let pair = (min(i, j), max(i, j))
                        if pair == representatives {
                            conflicts.append(found)
                        } else if let conflict = self.findConflict(false, key, fields[pair.0], fields[pair.1]) {
                            conflicts.append(conflict)
                        }
                    }
                }
            }
        }
    }

    private func collectConflictsBetweenFieldsAndFragment(
        _ conflicts: inout [Conflict], _ mutuallyExclusive: Bool, _ fieldMap: FieldMap, _ fragmentName: String
    ) {
        guard let (fragment, index) = self.context.fragmentAndIndex(named: fragmentName) else { return }
        let memoKey = MapAndFragment(map: fieldMap.id, fragment: index)
        if let seen = self.comparedFieldsAndFragments[memoKey], mutuallyExclusive || seen == mutuallyExclusive { return }
        self.comparedFieldsAndFragments[memoKey] = mutuallyExclusive
        let fieldMap2 = self.referencedFieldsAndFragmentNames(fragment)
        if fieldMap === fieldMap2 { return }
        // (D) Between the fields and the fragment's fields.
        self.collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap, fieldMap2)
        // (E) Between the fields and the fragments the fragment spreads.
        for referenced in fieldMap2.fragmentNames.keys {
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap, referenced)
        }
    }

    private func collectConflictsBetweenFragments(
        _ conflicts: inout [Conflict], _ mutuallyExclusive: Bool, _ name1: String, _ name2: String
    ) {
        guard let (fragment1, index1) = self.context.fragmentAndIndex(named: name1), let (fragment2, index2) = self.context.fragmentAndIndex(named: name2),
            index1 != index2
        else { return }
        let key = FragmentPair(index1, index2)
        if let seen = self.comparedFragmentPairs[key], mutuallyExclusive || seen == mutuallyExclusive { return }
        self.comparedFragmentPairs[key] = mutuallyExclusive
        let fieldMap1 = self.referencedFieldsAndFragmentNames(fragment1)
        let fieldMap2 = self.referencedFieldsAndFragmentNames(fragment2)
        // (F) Between the two fragments' fields.
        self.collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap1, fieldMap2)
        // (G) Between each fragment and the fragments the other spreads.
        for referenced in fieldMap2.fragmentNames.keys {
            self.collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, name1, referenced)
        }
        for referenced in fieldMap1.fragmentNames.keys {
            self.collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, referenced, name2)
        }
    }

    private func findConflictsBetweenSubSelectionSets(
        _ mutuallyExclusive: Bool, _ parentType1: GraphQLNamedType?, _ selectionSet1: SelectionSet,
        _ parentType2: GraphQLNamedType?, _ selectionSet2: SelectionSet
    ) -> [Conflict] {
        var conflicts: [Conflict] = []
        let fieldMap1 = self.fieldsAndFragmentNames(parentType1, selectionSet1)
        let fieldMap2 = self.fieldsAndFragmentNames(parentType2, selectionSet2)
        // (H) Between the two sets of fields.
        self.collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap1, fieldMap2)
        // (I) Between each set of fields and the other's fragments.
        for name in fieldMap2.fragmentNames.keys {
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap1, name)
        }
        for name in fieldMap1.fragmentNames.keys {
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap2, name)
        }
        // (J) Between each pair of fragments.
        for name1 in fieldMap1.fragmentNames.keys {
            for name2 in fieldMap2.fragmentNames.keys {
                self.collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, name1, name2)
            }
        }
        return conflicts
    }

    private func collectConflictsBetween(
        _ conflicts: inout [Conflict], _ mutuallyExclusive: Bool, _ fieldMap1: FieldMap, _ fieldMap2: FieldMap
    ) {
        for (position1, key) in fieldMap1.responseNames.keys.enumerated() {
            guard let position2 = fieldMap2.responseNames.position(of: key) else { continue }
            let finished = fieldMap1.forEachField(at: position1) { field1 in
                fieldMap2.forEachField(at: position2) { field2 in
                    if self.isOverBudget || conflicts.count > self.context.maxErrors { return false }
                    if let conflict = self.findConflict(mutuallyExclusive, key, field1, field2) {
                        conflicts.append(conflict)
                    }
                    return true
                }
            }
            if !finished { return }
        }
    }

    /// Whether two fields of the same response name conflict, sub-selections included.
    private func findConflict(
        _ parentsMutuallyExclusive: Bool, _ responseName: String, _ field1: FieldAndDefinition, _ field2: FieldAndDefinition
    ) -> Conflict? {
        self.comparisons += 1
        if self.isOverBudget { return nil }
        let node1 = field1.node
        let node2 = field2.node
        let mutuallyExclusive =
            parentsMutuallyExclusive
            || (field1.parentType !== field2.parentType && field1.parentType?.kind == .object
                && field2.parentType?.kind == .object)
        if !mutuallyExclusive {
            if node1.name.value != node2.name.value {
                return Conflict(
                    responseName: responseName,
                    reason: .message("\(quoted: "\(node1.name.value)") and \(quoted: "\(node2.name.value)") are different fields"),
                    fields1: [node1], fields2: [node2])
            }
            if !sameArguments(node1.arguments, node2.arguments) {
                return Conflict(
                    responseName: responseName, reason: .message("they have differing arguments"), fields1: [node1],
                    fields2: [node2])
            }
        }
        let type1 = field1.definition?.type
        let type2 = field2.definition?.type
        if let type1, let type2, doTypesConflict(type1, type2) {
            return Conflict(
                responseName: responseName, reason: .message("they return conflicting types \(quoted: "\(type1)") and \(quoted: "\(type2)")"),
                fields1: [node1], fields2: [node2])
        }
        guard let selectionSet1 = node1.selectionSet, let selectionSet2 = node2.selectionSet else { return nil }
        let conflicts = self.findConflictsBetweenSubSelectionSets(
            mutuallyExclusive, type1?.namedType, selectionSet1, type2?.namedType, selectionSet2)
        guard !conflicts.isEmpty else { return nil }
        return Conflict(
            responseName: responseName, reason: .subfields(conflicts.map { ($0.responseName, $0.reason) }),
            fields1: [node1] + conflicts.flatMap(\.fields1), fields2: [node2] + conflicts.flatMap(\.fields2))
    }

    // MARK: Field maps

    private func fieldsAndFragmentNames(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet) -> FieldMap {
        let slot = Int(selectionSet.row.start)
        if slot >= self.cache.count {
            self.cache.append(contentsOf: repeatElement(nil, count: max(slot + 1, selectionSet.nodes.selections.count) - self.cache.count))
        }
        if let cached = self.cache[slot] { return cached }
        let map = FieldMap(id: slot, capacity: selectionSet.selections.count)
        self.collect(parentType, selectionSet, map)
        self.cache[slot] = map
        return map
    }

    private func referencedFieldsAndFragmentNames(_ fragment: FragmentDefinition) -> FieldMap {
        let slot = Int(fragment.selectionSet.row.start)
        if slot < self.cache.count, let cached = self.cache[slot] { return cached }
        return self.fieldsAndFragmentNames(self.context.schema.type(named: fragment.typeCondition.value), fragment.selectionSet)
    }

    private func collect(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet, _ map: FieldMap) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                var definition: GraphQLField?
                if let parentType, parentType.kind == .object || parentType.kind == .interface {
                    definition = parentType.field(field.name.value)
                }
                map.add(FieldAndDefinition(parentType: parentType, node: field, definition: definition))
            case .fragmentSpread(let spread):
                map.fragmentNames.insert(spread.name.value)
            case .inlineFragment(let fragment):
                let type = fragment.typeCondition.map { self.context.schema.type(named: $0.value) } ?? parentType
                self.collect(type, fragment.selectionSet, map)
            }
        }
    }
}

/// Two argument lists are the same if they give the same values (object fields in any order).
private func sameArguments(_ arguments1: [Argument], _ arguments2: [Argument]) -> Bool {
    guard arguments1.count == arguments2.count else { return false }
    for argument1 in arguments1 {
        guard let argument2 = arguments2.first(where: { $0.name.value == argument1.name.value }) else { return false }
        if stringifyValue(argument1.value) != stringifyValue(argument2.value) { return false }
    }
    return true
}

private func stringifyValue(_ value: ValueNode) -> String {
    switch value.kind {
    case .object(let fields):
        return "{" + fields.sorted { $0.name.value < $1.name.value }.map { "\($0.name.value): \(stringifyValue($0.value))" }
            .joined(separator: ", ") + "}"
    case .list(let items):
        return "[" + items.map(stringifyValue).joined(separator: ", ") + "]"
    case .string(let string, _):
        return printString(string)
    default:
        return printValue(value)
    }
}

/// List and non-null wrappers must match; leaf types must be the same type.
private func doTypesConflict(_ type1: GraphQLType, _ type2: GraphQLType) -> Bool {
    switch (type1, type2) {
    case (.list(let inner1), .list(let inner2)): return doTypesConflict(inner1, inner2)
    case (.list, _), (_, .list): return true
    case (.nonNull(let inner1), .nonNull(let inner2)): return doTypesConflict(inner1, inner2)
    case (.nonNull, _), (_, .nonNull): return true
    case (.named(let named1), .named(let named2)):
        if named1.isLeaf || named2.isLeaf { return named1 !== named2 }
        return false
    }
}
