/// Implements the "Executing Selection Sets", "Executing Fields" and "Value Completion"
/// sections of the spec, depth first as graphql-js does for synchronous resolvers.
///
/// Each `complete…` function returns `false` when its position became null although its type
/// is non-null: the caller then nulls its own position, or propagates further
/// (https://spec.graphql.org/October2021/#sec-Handling-Field-Errors). An error is recorded
/// once, where it happened, with that position's path.
extension ExecutionState {
    /// ExecuteSelectionSet for one object: allocates a node per response key and executes each
    /// field. Stops at the first field whose non-null error nulls this object, as graphql-js does.
    func completeObject(_ node: Int, _ plan: ObjectPlan, _ source: borrowing Value) -> Bool {
        let count = plan.groupCount
        let start = self.result.allocateChildren(of: node, count: count, nonNull: false)
        self.result.nodes.withUnsafeMutableBufferPointer { nodes in
            nodes[node].kind = .object
            nodes[node].childStart = Int32(start)
            nodes[node].childCount = Int32(count)
            nodes[node].plan = plan.index
        }
        // The parent's properties, borrowed from the value (a `switch` over a borrowed value binds
        // them without retaining the shape and the values for the object's fields).
        let completed: Bool
        switch source {
        case .object(let properties): completed = self.completeFields(start, plan, properties, source)
        default: completed = self.completeFields(start, plan, ValueObject(), source)
        }
        guard completed else { return false }
        for fragment in plan.deferredFragments {
            self.deferredRecords.append(DeferredRecord(fragment: fragment, state: self, node: node, source: copy source))
        }
        return true
    }

    /// The plan's fields of one object, its children from `start` on.
    @inline(__always)
    private func completeFields(_ start: Int, _ plan: ObjectPlan, _ properties: borrowing ValueObject, _ source: borrowing Value) -> Bool {
        let count = plan.groupCount
        var offset = 0
        while offset < count {
            // A run of common leaves read from the parent's properties, written to their nodes in
            // place (one access to the node array for the run, not several per field).
            offset = self.result.withNodesAndLeaves { nodes, leaves in
                Self.completeLeaves(from: offset, of: plan, properties, into: nodes, leaves: &leaves, at: start)
            }
            guard offset < count else { break }
            // Anything else (and a leaf the run stopped at) through the general path.
            let child = start + offset
            let completed = plan.unretainedGroups[offset]._withUnsafeGuaranteedRef { group in
                self.result.nodes[child].isNonNull = group.isNonNull
                if group.usesPropertyResolution {
                    let value = properties.value(forKey: group.propertyKey, hint: group.propertySlot) ?? .null
                    return self.completeValue(child, level: 0, group, value)
                }
                return self.executeField(child, group, source)
            }
            offset += 1
            if !completed { return false }
        }
        return true
    }

    /// Completes the plan's groups from `first` on while they are common leaves read from the
    /// parent's properties; returns the offset of the first group it did not complete.
    @inline(__always)
    private static func completeLeaves(
        from first: Int, of plan: ObjectPlan, _ properties: borrowing ValueObject, into nodes: UnsafeMutableBufferPointer<ResultTree.Node>,
        leaves: inout [Value], at start: Int
    ) -> Int {
        var offset = first
        let groups = plan.unretainedGroups
        while offset < groups.count {
            let done = groups[offset]._withUnsafeGuaranteedRef { group -> Bool in
                guard group.usesPropertyResolution, let scalar = group.leafScalar else { return false }
                let value = properties.value(forKey: group.propertyKey, hint: group.propertySlot) ?? .null
                nodes[start + offset].isNonNull = group.isNonNull
                return Self.completeLeafFast(&nodes[start + offset], scalar, value, leaves: &leaves)
            }
            guard done else { break }
            offset += 1
        }
        return offset
    }

    /// The common leaves (strings as String/ID, in-range Int, Boolean, null in a nullable
    /// position) completed without the general path; `false` hands the value to `completeValue`.
    @inline(__always)
    private static func completeLeafFast(_ node: inout ResultTree.Node, _ scalar: BuiltinScalar, _ value: Value, leaves: inout [Value]) -> Bool {
        switch (scalar, value) {
        case (.string, .string), (.id, .string), (.boolean, .bool):
            break
        case (.int, .int(let int)) where int >= ScalarCoercion.minInt && int <= ScalarCoercion.maxInt:
            break
        case (_, .null):
            if node.isNonNull { return false }
            node.kind = .null
            return true
        default:
            return false
        }
        ResultTree.setLeaf(&node, value, in: &leaves)
        return true
    }

    /// ExecuteField: resolves the field, then completes its value (or defers it).
    func executeField(_ node: Int, _ group: FieldGroup, _ source: borrowing Value) -> Bool {
        if group.isTypeName {
            self.result.setLeaf(node, .string(group.parentType.name))
            return true
        }
        return group.unretainedDefinition._withUnsafeGuaranteedRef { definition in
            if definition.batchResolve != nil { return self.enqueueBatched(node, group, definition, copy source) }
            return self.resolveField(node, group, definition, source)
        }
    }

    /// ExecuteField for a field resolved where the walk meets it (a resolver, or a property read
    /// with arguments to coerce).
    private func resolveField(_ node: Int, _ group: FieldGroup, _ definition: GraphQLField, _ source: borrowing Value) -> Bool {
        let resolved: Resolved
        if let resolve = definition.resolve {
            let arguments: [String: Value]
            switch self.arguments(for: group) {
            case .success(let values): arguments = values
            case .failure(let error):
                self.recordError(error.message, node: node, group: group)
                return self.failPosition(node)
            }
            do {
                resolved = try resolve(source, arguments, ResolveInfo(group: group, state: self, node: node))
            } catch {
                self.recordError(error, node: node, group: group)
                return self.failPosition(node)
            }
        } else {
            if definition.arguments.isEmpty == false, case .failure(let error) = self.arguments(for: group) {
                self.recordError(error.message, node: node, group: group)
                return self.failPosition(node)
            }
            resolved = .value(source[group.propertyKey] ?? .null)
        }
        switch resolved {
        case .value(let value):
            return self.completeValue(node, level: 0, group, value)
        case .pending(let pending):
            self.deferred.append(DeferredField(node: node, group: group, work: .pending(pending)))
            return true
        case .async(let work):
            self.deferred.append(DeferredField(node: node, group: group, work: .async(work)))
            return true
        }
    }

    /// The rest of a streamed list at `node` (a list of its own, under a stream group's container).
    func completeItems(_ node: Int, _ record: StreamRecord) -> Bool {
        let start = self.result.allocateChildren(of: node, count: record.items.count, nonNull: record.group.wrappers.isNonNull(at: record.itemLevel))
        self.result.nodes[node].kind = .list
        self.result.nodes[node].childStart = Int32(start)
        self.result.nodes[node].childCount = Int32(record.items.count)
        for (offset, item) in record.items.enumerated() where !self.completeValue(start + offset, level: record.itemLevel, record.group, item) {
            return false
        }
        return true
    }

    /// Whether the node is a field's own position (its parent an object), not an item of a list.
    @inline(__always)
    func isFieldNode(_ node: Int) -> Bool {
        let parent = Int(self.result.nodes[node].parent)
        return parent >= 0 && self.result.nodes[parent].kind == .object
    }

    /// A position failed: nullable positions become null, non-null ones propagate.
    @inline(__always)
    func failPosition(_ node: Int) -> Bool {
        if self.result.nodes[node].isNonNull { return false }
        self.result.setNull(node)
        return true
    }

    /// CompleteValue for the group's type at `level` of its wrappers (0: the field's own type).
    func completeValue(_ node: Int, level: Int, _ group: FieldGroup, _ value: borrowing Value) -> Bool {
        if group.wrappers.isNonNull(at: level) {
            if value.isNull {
                self.recordError(
                    "Cannot return null for non-nullable field \(group.parentType.name).\(group.definition.name).",
                    node: node, group: group)
                return false
            }
            return self.completeNullable(node, level: level + 1, group, value)
        }
        if value.isNull {
            self.result.setNull(node)
            return true
        }
        if self.completeNullable(node, level: level, group, value) { return true }
        self.result.setNull(node)
        return true
    }

    /// CompleteValue for a non-null value of a nullable type: lists, leaves, objects, abstract types.
    private func completeNullable(_ node: Int, level: Int, _ group: FieldGroup, _ value: borrowing Value) -> Bool {
        let wrappers = group.wrappers
        if level < wrappers.count {
            if wrappers.isNonNull(at: level) { return self.completeValue(node, level: level, group, value) }
            switch value {
            case .list(let items): return self.completeList(node, level: level, group, items)
            default:
                self.recordError(
                    "Expected Iterable, but did not find one for field \(quoted: "\(group.parentType.name).\(group.definition.name)").",
                    node: node, group: group)
                return false
            }
        }
        // The named type through an unretained reference (the schema owns it): no retain and
        // release for every value completed.
        return group.unretainedNamedReturnType._withUnsafeGuaranteedRef { named in
            switch named.kind {
            case .scalar, .enumeration:
                return self.completeLeaf(node, named, group, value)
            case .object:
                if let plan = group.unretainedSubPlan { return plan._withUnsafeGuaranteedRef { self.completeObject(node, $0, value) } }
                return self.completeObject(node, self.subPlan(group, named), value)
            case .interface, .union:
                guard let objectType = self.resolveAbstractType(node, named, group, value) else { return false }
                return self.completeObject(node, self.subPlan(group, objectType), value)
            case .inputObject:
                return false
            }
        }
    }

    /// CompleteValue for a list at `level` of the group's wrappers: a node per item.
    private func completeList(_ node: Int, level: Int, _ group: FieldGroup, _ items: borrowing [Value]) -> Bool {
        // `@stream`: the field's own list (not a list nested in it) keeps its first items, the rest come later.
        var shown = items.count
        if let stream = group.stream, stream.initialCount < items.count, self.isFieldNode(node) {
            shown = stream.initialCount
            self.streamRecords.append(
                StreamRecord(
                    stream: stream, group: group, itemLevel: level + 1, state: self, node: node, items: Array(items[shown...]),
                    firstIndex: shown))
        }
        let start = self.result.allocateChildren(of: node, count: shown, nonNull: group.wrappers.isNonNull(at: level + 1))
        self.result.nodes[node].kind = .list
        self.result.nodes[node].childStart = Int32(start)
        self.result.nodes[node].childCount = Int32(shown)
        // Each item borrowed in place (an array subscript copies it: two retains and releases of an
        // object's shape and values, which every request's objects of that shape share).
        return items.withUnsafeBufferPointer { items in
            for offset in 0..<shown where !self.completeValue(start + offset, level: level + 1, group, items[offset]) {
                return false
            }
            return true
        }
    }

    /// CompleteValue for scalars and enums: serialize with the type's rules.
    private func completeLeaf(_ node: Int, _ type: GraphQLNamedType, _ group: FieldGroup, _ value: borrowing Value) -> Bool {
        let serialized: Value
        if let builtin = type.builtinScalar {
            do {
                serialized = try ScalarCoercion.serialize(builtin, value)
            } catch {
                self.recordError(error.message, node: node, group: group)
                return false
            }
        } else if type.kind == .enumeration {
            let known: Bool
            switch value {
            case .string(let name): known = type.hasEnumValue(name)
            default: known = false
            }
            guard known else {
                self.recordError("Enum \(quoted: "\(type.name)") cannot represent value (\(describeKind(value)))", node: node, group: group)
                return false
            }
            serialized = copy value
        } else {
            serialized = copy value
        }
        self.result.setLeaf(node, serialized)
        return true
    }

    /// ResolveAbstractType: the type resolver, or the value's `__typename`.
    private func resolveAbstractType(
        _ node: Int, _ type: GraphQLNamedType, _ group: FieldGroup, _ value: borrowing Value
    ) -> GraphQLNamedType? {
        let name: String?
        if let resolveType = type.resolveType {
            name = resolveType(value, ResolveInfo(group: group, state: self, node: node))
        } else {
            name = value["__typename"]?.stringValue
        }
        let field = "\(group.parentType.name).\(group.definition.name)"
        guard let name else {
            self.recordError(
                "Abstract type \(quoted: "\(type.name)") must resolve to an Object type at runtime for field \(quoted: "\(field)"). Either the \(quoted: "\(type.name)") type should provide a \(quoted: MessageStyle.current == .graphQLJS ? "resolveType" : "resolve_type") function or each possible type should provide an \(quoted: MessageStyle.current == .graphQLJS ? "isTypeOf" : "is_type_of") function.",
                node: node, group: group)
            return nil
        }
        guard let runtimeType = self.schema.type(named: name) else {
            self.recordError(
                "Abstract type \(quoted: "\(type.name)") was resolved to a type \(quoted: "\(name)") that does not exist inside the schema.",
                node: node, group: group)
            return nil
        }
        guard runtimeType.kind == .object else {
            self.recordError(
                "Abstract type \(quoted: "\(type.name)") was resolved to a non-object type \(quoted: "\(name)").", node: node, group: group)
            return nil
        }
        guard self.schema.isSubType(type, runtimeType) else {
            self.recordError(
                "Runtime Object type \(quoted: "\(name)") is not a possible type for \(quoted: "\(type.name)").", node: node, group: group)
            return nil
        }
        return runtimeType
    }

    /// Completes a field resolved later (pending, asynchronous or batched) with its delivered value
    /// (or error), then propagates a null that the completion could not absorb.
    func resume(_ node: Int, _ group: FieldGroup, with result: borrowing Result<Value, any Error>) {
        guard !self.result.isDetached(node), !self.dataIsNull else { return }
        let ok: Bool
        switch result {
        case .success(let value):
            ok = self.completeValue(node, level: 0, group, value)
        case .failure(let error):
            self.recordError(error, node: node, group: group)
            ok = self.failPosition(node)
        }
        if !ok && !self.result.propagateNull(from: node) {
            self.dataIsNull = true
        }
    }
}
