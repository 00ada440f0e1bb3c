/// Stream directive on list fields
///
/// `@stream` sends a list's items in parts: it belongs on fields whose type is a list.
///
/// See https://github.com/graphql/graphql-spec/pull/742 (graphql-js 17 `StreamDirectiveOnListFieldRule`)
final class StreamDirectiveOnListFieldRule: ValidationRule {
    let hooks: ValidationHooks = [.enterFieldWithDirectives]

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        // A schema without @stream has KnownDirectives report it, and nothing more.
        guard let stream = field.directives.first(where: { $0.name.value == "stream" }), let definition = context.fieldDefinition,
            let parent = context.parentType, !definition.type.nullable.isList, context.schema.directive(named: "stream") != nil
        else { return .continue }
        context.report(
            "Directive \(quoted: "@stream") cannot be used on non-list field \(quoted: definition.name) on type \(quoted: parent.name).",
            at: stream.location)
        return .continue
    }
}
