/// Scalar leafs
///
/// A GraphQL document is valid only if all leaf fields (fields without sub selections) are of
/// scalar or enum types.
///
/// See https://spec.graphql.org/October2021/#sec-Leaf-Field-Selections
final class ScalarLeafsRule: ValidationRule {
    let hooks: ValidationHooks = [.enterField]

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        guard let type = context.type else { return .continue }
        let name = field.name.value
        if type.namedType.isLeaf {
            if let selectionSet = field.selectionSet {
                context.report(
                    "Field \(quoted: "\(name)") must not have a selection since type \(quoted: "\(type)") has no subfields.",
                    at: selectionSet.location)
            }
        } else if field.selectionSet == nil {
            context.report(
                "Field \(quoted: "\(name)") of type \(quoted: "\(type)") must have a selection of subfields. Did you mean \(quoted: "\(name) { ... }")?",
                at: field.location)
        }
        return .continue
    }
}
