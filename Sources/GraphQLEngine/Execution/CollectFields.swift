/// Implements the "CollectFields" algorithm of the spec: the fields to execute for an object
/// type, grouped by response key in document order, honouring `@skip`, `@include` and type
/// conditions.
///
/// See https://spec.graphql.org/October2021/#CollectFields()
extension ExecutionState {
    func collectFields(_ type: GraphQLNamedType, _ selectionSets: [SelectionSet]) -> ObjectPlan {
        var groups: [FieldGroup] = []
        var indexByKey: [String: Int] = [:]
        var visitedFragments = Set<String>()
        for selectionSet in selectionSets {
            self.collect(type, selectionSet, &groups, &indexByKey, &visitedFragments)
        }
        let plan = ObjectPlan(type: type, groups: groups)
        plan.index = Int32(self.plans.count)
        self.plans.append(plan)
        return plan
    }

    private func collect(
        _ type: GraphQLNamedType, _ selectionSet: SelectionSet, _ groups: inout [FieldGroup],
        _ indexByKey: inout [String: Int], _ visitedFragments: inout Set<String>
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                guard self.shouldInclude(field.directives) else { continue }
                let key = field.responseKey
                if let index = indexByKey[key] {
                    groups[index].fields.append(field)
                } else if let definition = self.fieldDefinition(type, field.name.value) {
                    indexByKey[key] = groups.count
                    groups.append(
                        FieldGroup(
                            responseKey: key, field: field, definition: definition, parentType: type,
                            isTypeName: definition === self.schema.typeNameMetaField))
                }
            case .fragmentSpread(let spread):
                let name = spread.name.value
                guard !visitedFragments.contains(name), self.shouldInclude(spread.directives) else { continue }
                visitedFragments.insert(name)
                guard let fragment = self.fragments[name], self.doesConditionMatch(fragment.typeCondition.value, type)
                else { continue }
                self.collect(type, fragment.selectionSet, &groups, &indexByKey, &visitedFragments)
            case .inlineFragment(let fragment):
                guard self.shouldInclude(fragment.directives) else { continue }
                if let condition = fragment.typeCondition, !self.doesConditionMatch(condition.value, type) { continue }
                self.collect(type, fragment.selectionSet, &groups, &indexByKey, &visitedFragments)
            }
        }
    }

    /// The field a selection names, meta-fields included (`__schema`/`__type` on the query root only).
    func fieldDefinition(_ type: GraphQLNamedType, _ name: String) -> GraphQLField? {
        if name.hasPrefix("__") {
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
        guard let conditionType = self.schema.type(named: condition) else { return false }
        if conditionType === type { return true }
        return conditionType.isAbstract && self.schema.isSubType(conditionType, type)
    }

    /// `@skip(if:)` and `@include(if:)`.
    ///
    /// See https://spec.graphql.org/October2021/#sec--skip
    func shouldInclude(_ directives: [Directive]) -> Bool {
        if directives.isEmpty { return true }
        for directive in directives {
            let name = directive.name.value
            guard name == "skip" || name == "include" else { continue }
            guard let argument = directive.arguments.first(where: { $0.name.value == "if" }),
                case .bool(let condition)? = valueFromAST(argument.value, .nonNull(.named(self.booleanType)), self.variables)
            else { continue }
            if name == "skip" && condition { return false }
            if name == "include" && !condition { return false }
        }
        return true
    }

    /// The plan of a field's sub-selections for a concrete object type (cached on the group).
    @inline(__always)
    func subPlan(_ group: FieldGroup, _ type: GraphQLNamedType) -> ObjectPlan {
        if let last = group.lastSubPlan, last.type === type { return last }
        let id = ObjectIdentifier(type)
        let plan: ObjectPlan
        if let cached = group.subPlans[id] {
            plan = cached
        } else {
            plan = self.collectFields(type, group.fields.compactMap(\.selectionSet))
            group.subPlans[id] = plan
        }
        group.lastSubPlan = plan
        return plan
    }
}
