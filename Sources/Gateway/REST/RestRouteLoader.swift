import Foundation
import GraphQLEngine

/// Reads `@rest(path:, method:)` from root fields into routes, and derives the nested routes of a
/// GET of one entity. A bad directive is an error naming its SDL line.
struct RestRouteLoader {
    let schema: GraphQLSchema
    let source: Source
    var errors: [GraphQLError] = []
    var routes: [RestRoute] = []

    init(schema: GraphQLSchema, source: Source) {
        self.schema = schema
        self.source = source
    }

    mutating func load() {
        for (root, operation) in [(self.schema.queryType, OperationType.query), (self.schema.mutationType, .mutation)] {
            guard let root else { continue }
            for field in root.fields {
                guard let use = field.definition?.directives.first(where: { $0.name.value == "rest" }) else { continue }
                self.load(use, field, operation)
            }
        }
    }

    private mutating func load(_ use: Directive, _ field: GraphQLField, _ operation: OperationType) {
        func fail(_ message: String) {
            self.errors.append(GraphQLError("@rest on \(field.name): \(message)", source: self.source, offsets: [use.location.start]))
        }
        var path: String?
        var method = operation == .mutation ? RestRoute.Method.post : .get
        for argument in use.arguments {
            switch (argument.name.value, argument.value.kind) {
            case ("path", .string(let value, _)): path = value
            case ("method", .enumValue(let value)), ("method", .string(let value, _)):
                guard let parsed = RestRoute.Method(rawValue: value.uppercased()) else { return fail("method must be GET or POST") }
                method = parsed
            default: break
            }
        }
        guard let path, let parameters = PathTemplate(path)?.placeholders else { return fail("path must start with \"/\" and close every \"{\"") }
        for name in parameters where field.argument(name) == nil { return fail("path parameter {\(name)} is not an argument of \(field.name)") }
        if method == .post, field.argument("input") == nil { return fail("a POST route needs the field's `input` argument") }
        if (method == .post) != (operation == .mutation) { return fail("queries are GET routes, mutations POST routes") }
        let type = field.type.namedType
        guard type.kind == .object else { return fail("the field must return an object type or a list of one") }
        let pageItems = type.field("data").flatMap { $0.type.isList ? $0.type.namedType : nil }
        let isPage = pageItems != nil && ["total", "page", "limit", "pages"].allSatisfy { type.field($0) != nil }
        let route = RestRoute(
            method: method, path: path, rootField: field, operation: operation, nestedField: nil,
            resultType: isPage ? pageItems! : type, returnsList: isPage || field.type.isList, isPage: isPage, pathParameters: parameters)
        self.routes.append(route)
        // GET of one entity: its list fields of objects become sub-resources.
        guard method == .get, !route.returnsList, !parameters.isEmpty else { return }
        for nested in type.fields where nested.type.isList && nested.type.namedType.kind == .object && nested.arguments.isEmpty {
            self.routes.append(
                RestRoute(
                    method: .get, path: path + "/" + kebabCase(nested.name), rootField: field, operation: operation, nestedField: nested,
                    resultType: nested.type.namedType, returnsList: true, isPage: false, pathParameters: parameters))
        }
    }
}

/// `labOrders` → `lab-orders`.
func kebabCase(_ name: String) -> String {
    var result = ""
    for character in name {
        if character.isUppercase {
            result += "-" + character.lowercased()
        } else {
            result.append(character)
        }
    }
    return result
}
