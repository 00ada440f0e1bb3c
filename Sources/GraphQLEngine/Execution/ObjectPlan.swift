import Synchronization

/// The fields to execute on one object type for one set of selections: CollectFields's result.
/// Part of a `CompiledOperation`: built once, then only read (concurrent executions share it).
final class ObjectPlan: @unchecked Sendable {
    let type: GraphQLNamedType
    let keys: [String]
    /// The groups, retained once by the plan when it is made and released when it goes: the
    /// per-object loop loads them without reference counting, and no second array holds them.
    let unretainedGroups: [Unmanaged<FieldGroup>]
    /// Index in the compiled operation's `plans` (result nodes refer to plans by index).
    let index: Int32

    /// The keys as JSON, each with its colon (`"firstName":`), one after another in one buffer the
    /// plan owns (written once per plan, not per object; read through a pointer while results are
    /// serialized, with no array retained per object).
    let encodedKeys: EncodedKeys
    /// The `@defer`red fragments on this object, executed after the payload that holds the object.
    @exclusivity(unchecked) fileprivate(set) var deferredFragments: [DeferredFragment] = []

    /// `keys` are the groups' response keys, in order (the compiler has them already); `groups`
    /// are retained by the plan (`passRetained`) and handed over.
    init(type: GraphQLNamedType, retainedGroups: [Unmanaged<FieldGroup>], keys: [String], index: Int32) {
        self.type = type
        self.unretainedGroups = retainedGroups
        self.index = index
        self.keys = keys
        self.encodedKeys = EncodedKeys(keys)
    }

    deinit {
        for group in self.unretainedGroups { group.release() }
        self.encodedKeys.deallocate()
    }

    var groupCount: Int { self.unretainedGroups.count }

    /// Every group, as references (an array made per call: not for the per-object loop).
    var groups: [FieldGroup] { self.unretainedGroups.map { $0.takeUnretainedValue() } }
}

/// Response keys encoded as JSON, each after a comma and before its colon (`,"firstName":`; an
/// object's first key is written from after its comma), in one buffer allocated once and freed by
/// `deallocate()` (its plan's deinit): each key's end offset, then the bytes (a key's run from the
/// previous key's end to its own). A struct: a plan holds it inline, with no object of its own.
struct EncodedKeys: @unchecked Sendable {
    let ends: UnsafeMutablePointer<Int>
    let bytes: UnsafeMutablePointer<UInt8>
    private let storage: UnsafeMutableRawPointer

    init(_ keys: [String]) {
        // Response keys are GraphQL names, which JSON writes as they are, byte for byte: they are
        // copied in one pass, sized by their UTF-8 counts; a key that would need escaping (none a
        // parsed document makes) sends the whole list through the JSON writer instead.
        var byteCount = 0
        for key in keys { byteCount += key.utf8.count + 4 }
        let endsSize = MemoryLayout<Int>.stride * max(keys.count, 1)
        var storage = UnsafeMutableRawPointer.allocate(byteCount: endsSize + max(byteCount, 1), alignment: MemoryLayout<Int>.alignment)
        var bytes = (storage + endsSize).bindMemory(to: UInt8.self, capacity: max(byteCount, 1))
        var offset = 0
        var plain = true
        for (index, key) in keys.enumerated() {
            bytes[offset] = 0x2C
            bytes[offset + 1] = 0x22
            offset += 2
            var key = key
            key.withUTF8 { utf8 in
                guard let source = utf8.baseAddress else { return }
                if plain, JSONWriter.needsEscaping(utf8) { plain = false }
                (bytes + offset).initialize(from: source, count: utf8.count)
                offset += utf8.count
            }
            bytes[offset] = 0x22
            bytes[offset + 1] = 0x3A
            offset += 2
            (storage + MemoryLayout<Int>.stride * index).storeBytes(of: offset, as: Int.self)
        }
        if !plain {
            storage.deallocate()
            let encoded = Self.escaped(keys)
            let endsSize = MemoryLayout<Int>.stride * max(keys.count, 1)
            storage = .allocate(byteCount: endsSize + max(encoded.bytes.count, 1), alignment: MemoryLayout<Int>.alignment)
            bytes = (storage + endsSize).bindMemory(to: UInt8.self, capacity: max(encoded.bytes.count, 1))
            encoded.bytes.withUnsafeBufferPointer { if let source = $0.baseAddress { bytes.initialize(from: source, count: $0.count) } }
            for (index, end) in encoded.ends.enumerated() { (storage + MemoryLayout<Int>.stride * index).storeBytes(of: end, as: Int.self) }
        }
        self.storage = storage
        self.ends = storage.bindMemory(to: Int.self, capacity: max(keys.count, 1))
        self.bytes = bytes
    }

    /// The keys written by the JSON writer (escaped), each after its comma and with its colon, and
    /// each one's end.
    private static func escaped(_ keys: [String]) -> (bytes: [UInt8], ends: [Int]) {
        var writer = JSONWriter(capacity: keys.reduce(0) { $0 + $1.utf8.count + 4 })
        var ends: [Int] = []
        ends.reserveCapacity(keys.count)
        for key in keys {
            writer.byte(0x2C)
            writer.string(key)
            writer.byte(0x3A)
            ends.append(writer.count)
        }
        return (writer.withBytes { Array($0) }, ends)
    }

    /// Frees the buffer; the pointers are not used afterwards.
    func deallocate() {
        self.storage.deallocate()
    }
}

/// A fragment spread or inline fragment under `@defer`: its own plan for the same object type,
/// executed for every object that has it once the payload holding those objects is sent.
final class DeferredFragment: @unchecked Sendable {
    let label: String?
    let plan: ObjectPlan

    init(label: String?, plan: ObjectPlan) {
        self.label = label
        self.plan = plan
    }
}

/// A list field's `@stream(initialCount:, label:)`.
struct StreamPlan {
    let initialCount: Int
    let label: String?
}

/// The field nodes that share one response key, with what executing them needs. Filled while its
/// operation is compiled, read-only afterwards (so its properties skip dynamic exclusivity checks,
/// as the plan's do: every field of every object reads them).
final class FieldGroup: @unchecked Sendable {
    let responseKey: String
    /// The first field node of the key, and any others (most keys have one: no array for it).
    let firstField: Field
    @exclusivity(unchecked) private var otherFields: [Field] = []
    /// Every field node of the key, in document order.
    var fields: [Field] { self.otherFields.isEmpty ? [self.firstField] : [self.firstField] + self.otherFields }
    /// The sub-selections of the key's fields, in document order (no array for a single field's).
    var subSelections: PlanSelections {
        if self.otherFields.isEmpty { return PlanSelections(self.firstField.selectionSet) }
        return PlanSelections(self.fields.compactMap(\.selectionSet))
    }
    /// Whether none of the key's fields has a sub-selection.
    var isLeaf: Bool { self.firstField.selectionSet == nil && self.otherFields.allSatisfy { $0.selectionSet == nil } }
    /// The field's definition and the type it is selected on, not retained: the schema owns them, and
    /// whatever holds a group holds the schema too (its compiled operation, or a resolver's
    /// `ResolveInfo` through the execution).
    var definition: GraphQLField { self.unretainedDefinition.takeUnretainedValue() }
    unowned(unsafe) let parentType: GraphQLNamedType
    /// Numbered within the compiled operation: executions keep their per-group state by it.
    let id: Int32
    /// The coerced arguments when no variable appears in them (the same for every execution).
    @exclusivity(unchecked) fileprivate(set) var constantArguments: Result<[String: Value], GraphQLError>?
    /// The sub-selections' plan, compiled with the operation when the field returns an object type.
    /// Abstract types' plans are compiled by each execution for the types its data has (compiling
    /// every possible type of every level ahead would grow exponentially with depth).
    @exclusivity(unchecked) fileprivate(set) var objectSubPlan: ObjectPlan? {
        didSet { self.unretainedSubPlan = self.objectSubPlan.map { Unmanaged.passUnretained($0) } }
    }
    /// `objectSubPlan` without reference counting, for completing each object (the compiled
    /// operation holds its plans while any execution reads them).
    @exclusivity(unchecked) private(set) var unretainedSubPlan: Unmanaged<ObjectPlan>?

    // Facts computed once so the per-object loop does not re-derive them from the schema.
    let fieldName: String
    /// The parent's property a field without resolver reads: its name, or its response key
    /// (`GraphQLField.readsResponseKey`).
    let propertyKey: String
    /// Where the last parent read had `propertyKey` (a hint shared by concurrent executions: the
    /// parents of one field usually share a shape, so the next one has it at the same position).
    let propertySlot = Atomic<Int>(-1)
    /// How many parents the field's last level had (a batched field's bucket reserves that many;
    /// shared by concurrent executions of a kept plan, as `propertySlot` is).
    let batchSizeHint = Atomic<Int>(0)
    let isNonNull: Bool
    /// No resolver and no arguments: the value is the parent's property of the field's name.
    let usesPropertyResolution: Bool
    /// `__typename`.
    let isTypeName: Bool
    /// `definition`, held unretained (the executor's per-field path reads it with no reference counting).
    let unretainedDefinition: Unmanaged<GraphQLField>
    /// The built-in scalar of a (non-null or nullable, not list) scalar field.
    let leafScalar: BuiltinScalar?
    /// `@stream` in force on this (list) field in an incremental execution: its first items come
    /// with the list, the rest later.
    @exclusivity(unchecked) fileprivate(set) var stream: StreamPlan?

    init(responseKey: String, field: Field, definition: GraphQLField, parentType: GraphQLNamedType, isTypeName: Bool, id: Int32) {
        self.responseKey = responseKey
        self.firstField = field
        self.parentType = parentType
        self.id = id
        let name = definition.name
        self.fieldName = name
        self.propertyKey = definition.readsResponseKey ? responseKey : name
        let wrappers = definition.typeWrappers
        self.wrappers = wrappers
        let named = definition.namedType
        self.unretainedNamedReturnType = Unmanaged.passUnretained(named)
        self.isNonNull = wrappers.isNonNull(at: 0)
        // A scalar field, nullable or not (not a list).
        self.leafScalar = wrappers.count == 0 || (wrappers.count == 1 && wrappers.isNonNull(at: 0)) ? named.builtinScalar : nil
        self.usesPropertyResolution = !isTypeName && definition.resolve == nil && definition.batchResolve == nil && definition.arguments.isEmpty
        self.isTypeName = isTypeName
        self.unretainedDefinition = Unmanaged.passUnretained(definition)
    }

    /// The field's type.
    var returnType: GraphQLType { self.definition.type }
    /// The type's wrappers and named type (the definition's), which value completion walks by
    /// level with no reference counting.
    let wrappers: TypeWrappers
    var namedReturnType: GraphQLNamedType { self.unretainedNamedReturnType.takeUnretainedValue() }
    /// Held unretained, as `definition` (completion reads it through `_withUnsafeGuaranteedRef`).
    let unretainedNamedReturnType: Unmanaged<GraphQLNamedType>
    /// Whether the field returns an object type (its sub-plan is the same for every value).
    var returnsObjectType: Bool { self.namedReturnType.kind == .object }

    fileprivate func append(_ field: Field) { self.otherFields.append(field) }
}

/// An operation's plans, compiled once: CollectFields for the root and, recursively, for every
/// field's sub-selections when it returns an object type; arguments without variables coerced.
/// Immutable once built; executions of the same document and operation share it when they give
/// the same values to the variables its `@skip`/`@include` (and `@defer`/`@stream`) read.
final class CompiledOperation: @unchecked Sendable {
    let schema: GraphQLSchema
    let root: ObjectPlan
    let plans: [ObjectPlan]
    let groupCount: Int
    /// The variables a `@skip`/`@include` (or `@defer`/`@stream`) reads, sorted: the plan holds for
    /// executions that give them the same values (empty: for every execution).
    let conditionVariables: [String]
    /// Whether `@defer` fragments were set aside (an incremental execution) or collected in place.
    let defersFragments: Bool
    /// The document's fragments by name (for plans compiled later and resolvers), made once per plan.
    let fragments: [String: FragmentDefinition]
    /// How many result positions and leaves the last execution made (the next one's tree reserves
    /// as many; shared by concurrent executions, a hint only).
    let resultNodesHint = Atomic<Int>(0)
    let resultLeavesHint = Atomic<Int>(0)

    init(
        schema: GraphQLSchema, root: ObjectPlan, plans: [ObjectPlan], groupCount: Int, conditionVariables: [String], defersFragments: Bool,
        fragments: [String: FragmentDefinition]
    ) {
        self.fragments = fragments
        self.defersFragments = defersFragments
        self.schema = schema
        self.root = root
        self.plans = plans
        self.groupCount = groupCount
        self.conditionVariables = conditionVariables
    }
}

/// Implements the "CollectFields" algorithm of the spec for a whole operation: the fields to
/// execute for an object type, grouped by response key in document order, honouring `@skip`,
/// `@include` and type conditions.
///
/// See https://spec.graphql.org/October2021/#CollectFields()
struct PlanCompiler {
    let schema: GraphQLSchema
    let fragments: [String: FragmentDefinition]
    let variables: [String: Value]
    /// Set `@defer`red fragments aside as `DeferredFragment`s; else `@defer` is ignored.
    let defersFragments: Bool
    private let booleanType: GraphQLNamedType?
    /// Plans made, numbered from `firstPlanIndex`; groups numbered from `firstGroupID`.
    private(set) var plans: [ObjectPlan] = []
    private let firstPlanIndex: Int
    private(set) var groupCount: Int32
    /// The variables the plan's decisions read (`@skip`/`@include`/`@defer`/`@stream` arguments).
    private var conditionVariables = Set<String>()
    /// The fragments a plan's collection has spread (kept between plans for its storage).
    private var visitedFragments = KeyPositions()
    /// Plans made, by object type and selection sets (given by an execution that compiles more, so
    /// that its compilations share them too).
    private(set) var knownPlans: KnownPlans
    /// Object-typed sub-plans are compiled ahead down to this depth and up to this many plans;
    /// the rest when an execution reaches them (a document nested deeper, or whose fragments
    /// expand into more distinct selection sets, costs what its data reaches).
    private static let eagerDepth = 64
    private static let eagerPlans = 1_024

    init(
        schema: GraphQLSchema, fragments: [String: FragmentDefinition], variables: [String: Value], defersFragments: Bool = false,
        firstPlanIndex: Int = 0, firstGroupID: Int = 0, knownPlans: KnownPlans = KnownPlans()
    ) {
        self.knownPlans = knownPlans
        self.defersFragments = defersFragments
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.booleanType = schema.type(named: "Boolean")
        self.firstPlanIndex = firstPlanIndex
        self.groupCount = Int32(firstGroupID)
    }

    /// Compiles the operation's selection set on its root type, and the sub-plans below it.
    static func compile(
        _ operation: OperationDefinition, rootType: GraphQLNamedType, schema: GraphQLSchema, fragments: [String: FragmentDefinition],
        variables: [String: Value], defersFragments: Bool = false
    ) -> CompiledOperation {
        var compiler = PlanCompiler(schema: schema, fragments: fragments, variables: variables, defersFragments: defersFragments)
        let root = compiler.plan(rootType, PlanSelections(operation.selectionSet), depth: 0)
        return CompiledOperation(
            schema: schema, root: root, plans: compiler.plans, groupCount: Int(compiler.groupCount), conditionVariables: compiler.conditionVariables.sorted(),
            defersFragments: defersFragments, fragments: fragments)
    }

    /// The plan of `selectionSets` on `type`, with the object-typed sub-plans below it. Leaf fields
    /// under `sentLeaves` (response keys the payload holding the object already has: a deferred
    /// fragment's parent) are left out — validation makes a shared key the same field and arguments,
    /// so their value is the one already sent.
    mutating func plan(_ type: GraphQLNamedType, _ selectionSets: PlanSelections, depth: Int, sentLeaves: Set<String> = []) -> ObjectPlan {
        // A deferred fragment's plan depends on what its parent sent as well: not shared.
        if sentLeaves.isEmpty, let plan = self.knownPlans.plan(type, selectionSets) { return plan }
        // A set that only spreads one fragment applying to the type (`type { ...TypeRef }`)
        // collects exactly the fragment's own set: every site spreading it shares that plan.
        if sentLeaves.isEmpty, let fragmentSet = self.soleSpreadSelections(type, selectionSets) {
            return self.plan(type, PlanSelections(fragmentSet), depth: depth)
        }
        // Room for the sets' own fields and a few per fragment they spread: no re-growing per field.
        let capacity = selectionSets.capacityEstimate
        // Retained here, handed to the plan (which releases them when it goes).
        var groups: [Unmanaged<FieldGroup>] = []
        groups.reserveCapacity(capacity)
        var responseKeys = KeyPositions(minimumCapacity: capacity)
        // The compilation's one set of visited fragments, emptied after each plan's collection.
        var visitedFragments = KeyPositions()
        swap(&visitedFragments, &self.visitedFragments)
        var deferred: [(label: String?, selectionSet: SelectionSet)] = []
        selectionSets.forEach { selectionSet in
            self.collect(type, selectionSet, &groups, &responseKeys, &visitedFragments, &deferred)
        }
        visitedFragments.removeAll()
        swap(&visitedFragments, &self.visitedFragments)
        if !sentLeaves.isEmpty {
            groups.removeAll { retained in
                let group = retained.takeUnretainedValue()
                guard sentLeaves.contains(group.responseKey) && group.isLeaf else { return false }
                retained.release()
                return true
            }
        }
        let keys = sentLeaves.isEmpty ? responseKeys.keys : groups.map { $0.takeUnretainedValue().responseKey }
        let plan = ObjectPlan(type: type, retainedGroups: groups, keys: keys, index: Int32(self.firstPlanIndex + self.plans.count))
        self.plans.append(plan)
        if sentLeaves.isEmpty { self.knownPlans.remember(plan, selectionSets) }
        // What this object's payload sends: its leaves, and those its parent payload sent already.
        let leaves = deferred.isEmpty ? [] : sentLeaves.union(plan.groups.lazy.filter(\.isLeaf).map(\.responseKey))
        for fragment in deferred {
            let fragmentPlan = self.plan(type, PlanSelections(fragment.selectionSet), depth: depth, sentLeaves: leaves)
            if fragmentPlan.groupCount > 0 || !fragmentPlan.deferredFragments.isEmpty {
                plan.deferredFragments.append(DeferredFragment(label: fragment.label, plan: fragmentPlan))
            }
        }
        for retained in groups {
            let group = retained.takeUnretainedValue()
            group.stream = self.streaming(group)
            // Arguments no variable reads (none at all, most often) are coerced once, with the plan.
            if !group.firstField.arguments.contains(where: { Self.hasVariable($0.value) }) {
                group.constantArguments = Values.coerceArguments(group.definition.arguments, group.firstField.arguments, [:])
            }
            let returned = group.namedReturnType
            guard returned.kind == .object, depth < Self.eagerDepth, self.plans.count < Self.eagerPlans else { continue }
            let subSelections = group.subSelections
            if !subSelections.isEmpty { group.objectSubPlan = self.plan(returned, subSelections, depth: depth + 1) }
        }
        return plan
    }

    /// The selection set of the fragment that `selectionSets` only spread (one set of one spread,
    /// without directives, of a fragment whose condition the type meets), if so.
    private func soleSpreadSelections(_ type: GraphQLNamedType, _ selectionSets: PlanSelections) -> SelectionSet? {
        guard let set = selectionSets.first, selectionSets.rest.isEmpty else { return nil }
        let selections = set.selections
        guard selections.count == 1, case .fragmentSpread(let spread) = selections[0], spread.directives.isEmpty,
            let fragment = self.fragments[spread.name.value], self.doesConditionMatch(fragment.typeCondition.value, type)
        else { return nil }
        return fragment.selectionSet
    }

    private mutating func collect(
        _ type: GraphQLNamedType, _ selectionSet: SelectionSet, _ groups: inout [Unmanaged<FieldGroup>],
        _ responseKeys: inout KeyPositions, _ visitedFragments: inout KeyPositions, _ deferred: inout [(label: String?, selectionSet: SelectionSet)]
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                // Most fields have no directives: no array made.
                if field.hasDirectives, !self.shouldInclude(field.directives) { continue }
                let key = field.responseKey
                // `responseKeys` holds the groups' keys in order: a key's position is its group's index.
                if let index = responseKeys.position(of: key) {
                    groups[index].takeUnretainedValue().append(field)
                } else if let definition = self.fieldDefinition(type, field.nameValue) {
                    responseKeys.insert(key)
                    let group = FieldGroup(
                        responseKey: key, field: field, definition: definition, parentType: type,
                        isTypeName: definition === self.schema.typeNameMetaField, id: self.groupCount)
                    groups.append(.passRetained(group))
                    self.groupCount += 1
                }
            case .fragmentSpread(let spread):
                let name = spread.name.value
                guard visitedFragments.position(of: name) == nil, self.shouldInclude(spread.directives) else { continue }
                visitedFragments.insert(name)
                guard let fragment = self.fragments[name], self.doesConditionMatch(fragment.typeCondition.value, type)
                else { continue }
                if let label = self.deferral(spread.directives) {
                    deferred.append((label, fragment.selectionSet))
                    continue
                }
                self.collect(type, fragment.selectionSet, &groups, &responseKeys, &visitedFragments, &deferred)
            case .inlineFragment(let fragment):
                guard self.shouldInclude(fragment.directives) else { continue }
                if let condition = fragment.typeCondition, !self.doesConditionMatch(condition.value, type) { continue }
                if let label = self.deferral(fragment.directives) {
                    deferred.append((label, fragment.selectionSet))
                    continue
                }
                self.collect(type, fragment.selectionSet, &groups, &responseKeys, &visitedFragments, &deferred)
            }
        }
    }

    /// The field a selection names, meta-fields included (`__schema`/`__type` on the query root only).
    private func fieldDefinition(_ type: GraphQLNamedType, _ name: String) -> GraphQLField? {
        if isReservedName(name) {
            switch name {
            case "__typename": return self.schema.typeNameMetaField
            case "__schema" where type === self.schema.queryType: return self.schema.schemaMetaField
            case "__type" where type === self.schema.queryType: return self.schema.typeMetaField
            default: break
            }
        }
        return type.field(name)
    }

    private func doesConditionMatch(_ condition: String, _ type: GraphQLNamedType) -> Bool {
        if condition == type.name { return true }
        guard let conditionType = self.schema.type(named: condition) else { return false }
        if conditionType === type { return true }
        return conditionType.isAbstract && self.schema.isSubType(conditionType, type)
    }

    /// `@skip(if:)` and `@include(if:)`.
    ///
    /// See https://spec.graphql.org/October2021/#sec--skip
    private mutating func shouldInclude(_ directives: [Directive]) -> Bool {
        if directives.isEmpty { return true }
        for directive in directives {
            let name = directive.name.value
            guard name == "skip" || name == "include", let booleanType = self.booleanType else { continue }
            guard let argument = directive.arguments.first(where: { $0.name.value == "if" }) else { continue }
            Self.collectVariables(argument.value, into: &self.conditionVariables)
            guard case .bool(let condition)? = valueFromAST(argument.value, .nonNull(.named(booleanType)), self.variables) else { continue }
            if name == "skip" && condition { return false }
            if name == "include" && !condition { return false }
        }
        return true
    }

    /// `@defer(if:, label:)` in force on a fragment: `.some(label)` to set it aside, `nil` to collect
    /// it in place (no `@defer`, `if: false`, or an execution that does not defer).
    ///
    /// See https://github.com/graphql/graphql-spec/pull/742 (incremental delivery)
    private mutating func deferral(_ directives: [Directive]) -> String?? {
        // Past the eager bound (a document whose fragments expand enormously) a fragment is not set
        // aside: it is collected in place, as the RFC lets a server do, and the work stays bounded.
        guard self.defersFragments, self.plans.count < Self.eagerPlans, let directive = directives.first(where: { $0.name.value == "defer" }),
            let booleanType
        else { return nil }
        if let condition = directive.arguments.first(where: { $0.name.value == "if" }) {
            Self.collectVariables(condition.value, into: &self.conditionVariables)
            if case .bool(false)? = valueFromAST(condition.value, .nonNull(.named(booleanType)), self.variables) { return nil }
        }
        return .some(self.label(of: directive))
    }

    /// `@stream(if:, label:, initialCount:)` in force on a list field of an incremental execution.
    private mutating func streaming(_ group: FieldGroup) -> StreamPlan? {
        guard self.defersFragments, group.definition.type.nullable.isList,
            let directive = group.firstField.directives.first(where: { $0.name.value == "stream" }), let booleanType
        else { return nil }
        for argument in directive.arguments { Self.collectVariables(argument.value, into: &self.conditionVariables) }
        if let condition = directive.arguments.first(where: { $0.name.value == "if" }),
            case .bool(false)? = valueFromAST(condition.value, .nonNull(.named(booleanType)), self.variables)
        {
            return nil
        }
        var initialCount = 0
        if let count = directive.arguments.first(where: { $0.name.value == "initialCount" }), let intType = self.schema.type(named: "Int"),
            case .int(let value)? = valueFromAST(count.value, .named(intType), self.variables)
        {
            initialCount = max(0, value)
        }
        return StreamPlan(initialCount: initialCount, label: self.label(of: directive))
    }

    /// The `label:` of a `@defer` or `@stream` (validation keeps it a static string).
    private func label(of directive: Directive) -> String? {
        guard let argument = directive.arguments.first(where: { $0.name.value == "label" }) else { return nil }
        switch argument.value.kind {
        case .string(let text, _): return text
        case .variable(let name): return self.variables[name.value]?.stringValue
        default: return nil
        }
    }

    /// Adds the names of the variables a value literal refers to.
    static func collectVariables(_ value: ValueNode, into names: inout Set<String>) {
        switch value.kind {
        case .variable(let name): names.insert(name.value)
        case .list(let items): for item in items { collectVariables(item, into: &names) }
        case .object(let fields): for field in fields { collectVariables(field.value, into: &names) }
        default: break
        }
    }

    /// Whether a value literal refers to a variable anywhere inside it.
    static func hasVariable(_ value: ValueNode) -> Bool {
        switch value.kind {
        case .variable: true
        case .list(let items): items.contains(where: hasVariable)
        case .object(let fields): fields.contains { hasVariable($0.value) }
        default: false
        }
    }
}
