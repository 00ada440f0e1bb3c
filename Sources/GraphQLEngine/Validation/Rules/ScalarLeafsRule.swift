/// Scalar leafs
///
/// A GraphQL document is valid only if all leaf fields (fields without sub selections) are of
/// scalar or enum types.
///
/// See https://spec.graphql.org/October2021/#sec-Leaf-Field-Selections
final class ScalarLeafsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterField]

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        guard let named = context.namedType else { return .continue }
        if named.isLeaf {
            if let selectionSet = field.selectionSet, let type = context.type {
                context.report(
                    "Field \(quoted: "\(field.name.value)") must not have a selection since type \(quoted: "\(type)") has no subfields.",
                    at: selectionSet.location)
            }
        } else if field.selectionSet == nil, let type = context.type {
            let name = field.name.value
            context.report(
                "Field \(quoted: "\(name)") of type \(quoted: "\(type)") must have a selection of subfields. Did you mean \(quoted: "\(name) { ... }")?",
                at: field.location)
        }
        return .continue
    }
}
