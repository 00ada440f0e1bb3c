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

    typealias FieldAndDefinition = FieldMapStore.FieldAndDefinition
    typealias FieldMap = FieldMapStore.Map

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

    /// Every selection set's field map, built when first compared.
    @exclusivity(unchecked) private var fieldMaps = FieldMapStore()
    /// A selection set's field map (by id) compared with a fragment (by definition index), and two
    /// fragments compared (by definition indexes, lower first): whether mutually exclusive.
    @exclusivity(unchecked) private var comparedFieldsAndFragments = PairMemo()
    @exclusivity(unchecked) private var comparedFragmentPairs = PairMemo()
    @exclusivity(unchecked) private var context: ValidationContext!
    /// Field pairs compared so far in this document. Comparing is quadratic in the fields that
    /// share a response name; past `maxComparisons` the document is refused rather than checked
    /// for seconds (no real operation comes near: they compare hundreds).
    @exclusivity(unchecked) private var comparisons = 0
    static let maxComparisons = 50_000
    private var isOverBudget: Bool { self.comparisons > Self.maxComparisons }

    func enter(_ selectionSet: SelectionSet, _ context: ValidationContext) -> VisitAction {
        if self.context !== context {
            // A rule is made per validation; one given another document anyway starts afresh (its
            // maps and memos are by row and definition index of the document it last saw).
            if self.context != nil { self.reset() }
            self.context = context
        }
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

    private func reset() {
        self.fieldMaps = FieldMapStore()
        self.comparedFragmentPairs = PairMemo()
        self.comparedFieldsAndFragments = PairMemo()
        self.comparisons = 0
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
        let maps = self.fieldMaps
        for position in fieldMap.names where maps.hasSeveralFields(at: position) {
            self.collectConflictsWithin(&conflicts, maps.names[position].key, maps.fields(at: position))
        }
        for i in fieldMap.fragments {
            // (B) Between these fields and each spread fragment.
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, false, fieldMap, maps.fragmentNames[i])
            // (C) Between the fragments spread together.
            for j in (i + 1)..<fieldMap.fragments.upperBound {
                self.collectConflictsBetweenFragments(&conflicts, false, maps.fragmentNames[i], maps.fragmentNames[j])
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
            let key = field.responseKey
            for earlier in 0..<index {
                if case .field(let other) = selections[earlier], other.responseKey == key { return false }
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
        if let seen = self.comparedFieldsAndFragments[fieldMap.id, index], mutuallyExclusive || seen == mutuallyExclusive { return }
        self.comparedFieldsAndFragments.set(fieldMap.id, index, mutuallyExclusive)
        let fieldMap2 = self.referencedFieldsAndFragmentNames(fragment)
        if fieldMap.id == fieldMap2.id { return }
        // (D) Between the fields and the fragment's fields.
        self.collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap, fieldMap2)
        // (E) Between the fields and the fragments the fragment spreads.
        for referenced in fieldMap2.fragments {
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap, self.fieldMaps.fragmentNames[referenced])
        }
    }

    private func collectConflictsBetweenFragments(
        _ conflicts: inout [Conflict], _ mutuallyExclusive: Bool, _ name1: String, _ name2: String
    ) {
        guard let (fragment1, index1) = self.context.fragmentAndIndex(named: name1), let (fragment2, index2) = self.context.fragmentAndIndex(named: name2),
            index1 != index2
        else { return }
        let (low, high) = index1 < index2 ? (index1, index2) : (index2, index1)
        if let seen = self.comparedFragmentPairs[low, high], mutuallyExclusive || seen == mutuallyExclusive { return }
        self.comparedFragmentPairs.set(low, high, mutuallyExclusive)
        let fieldMap1 = self.referencedFieldsAndFragmentNames(fragment1)
        let fieldMap2 = self.referencedFieldsAndFragmentNames(fragment2)
        // (F) Between the two fragments' fields.
        self.collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap1, fieldMap2)
        // (G) Between each fragment and the fragments the other spreads.
        for referenced in fieldMap2.fragments {
            self.collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, name1, self.fieldMaps.fragmentNames[referenced])
        }
        for referenced in fieldMap1.fragments {
            self.collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, self.fieldMaps.fragmentNames[referenced], name2)
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
        let maps = self.fieldMaps
        for name in fieldMap2.fragments {
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap1, maps.fragmentNames[name])
        }
        for name in fieldMap1.fragments {
            self.collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap2, maps.fragmentNames[name])
        }
        // (J) Between each pair of fragments.
        for name1 in fieldMap1.fragments {
            for name2 in fieldMap2.fragments {
                self.collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, maps.fragmentNames[name1], maps.fragmentNames[name2])
            }
        }
        return conflicts
    }

    private func collectConflictsBetween(
        _ conflicts: inout [Conflict], _ mutuallyExclusive: Bool, _ fieldMap1: FieldMap, _ fieldMap2: FieldMap
    ) {
        // Entries are read by index on each step: comparing sub-selections builds maps (the
        // store's arrays grow).
        let maps = self.fieldMaps
        for position1 in fieldMap1.names {
            let key = maps.names[position1].key
            guard let position2 = maps.position(of: key, in: fieldMap2) else { continue }
            var index1 = Int(maps.names[position1].first)
            while index1 >= 0 {
                var index2 = Int(maps.names[position2].first)
                while index2 >= 0 {
                    if self.isOverBudget || conflicts.count > self.context.maxErrors { return }
                    if let conflict = self.findConflict(mutuallyExclusive, key, maps.entries[index1].field, maps.entries[index2].field) {
                        conflicts.append(conflict)
                    }
                    index2 = Int(maps.entries[index2].next)
                }
                index1 = Int(maps.entries[index1].next)
            }
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
            if node1.nameValue != node2.nameValue {
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
        self.fieldMaps.map(parentType, selectionSet, schema: self.context.schema)
    }

    private func referencedFieldsAndFragmentNames(_ fragment: FragmentDefinition) -> FieldMap {
        if let built = self.fieldMaps.map(forRow: Int(fragment.selectionSet.row.start)) { return built }
        return self.fieldMaps.map(self.context.schema.type(named: fragment.typeCondition.value), fragment.selectionSet, schema: self.context.schema)
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
