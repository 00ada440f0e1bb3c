import Foundation
import GraphQLEngine

/// A REST facade route, generated from a root field's `@rest(path:, method:)` (and, for a GET of
/// one entity, one nested route per list field it has: `/patients/{id}/appointments`). Every route
/// runs as a GraphQL operation through the same executor, loaders and cache.
public struct RestRoute: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    public let method: Method
    /// `/patients/{id}/appointments`: `{name}` segments are path parameters (arguments of the root field).
    public let path: String
    public let rootField: GraphQLField
    public let operation: OperationType
    /// The list field of the root field's result the route returns (derived nested routes).
    public let nestedField: GraphQLField?
    /// The object type of the data returned (an item type for lists).
    public let resultType: GraphQLNamedType
    public let returnsList: Bool
    /// The root field returns a page (`data` items plus `total`, `page`, `limit`, `pages`).
    public let isPage: Bool
    /// Path parameters, in order.
    public let pathParameters: [String]

    /// The path's segments, each a literal or a parameter name (split once, matched per request).
    public let segments: [Segment]

    init(
        method: Method, path: String, rootField: GraphQLField, operation: OperationType, nestedField: GraphQLField?,
        resultType: GraphQLNamedType, returnsList: Bool, isPage: Bool, pathParameters: [String]
    ) {
        self.method = method
        self.path = path
        self.rootField = rootField
        self.operation = operation
        self.nestedField = nestedField
        self.resultType = resultType
        self.returnsList = returnsList
        self.isPage = isPage
        self.pathParameters = pathParameters
        self.segments = Self.segments(of: path)
        self.queryArguments = nestedField != nil ? [] : rootField.arguments.filter { !pathParameters.contains($0.name) && $0.name != "input" }
    }

    public enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    static func segments(of path: String) -> [Segment] {
        path.split(separator: "/").map { part in
            part.hasPrefix("{") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The path parameters of a request path's segments under this route, or `nil` when it does not match.
    public func match(_ requestSegments: some Collection<String>) -> [String: String]? {
        guard self.segments.count == requestSegments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, given) in zip(self.segments, requestSegments) {
            switch segment {
            case .literal(let literal):
                if literal != given { return nil }
            case .parameter(let name):
                guard !given.isEmpty else { return nil }
                parameters[name] = given.contains("%") ? (given.removingPercentEncoding ?? given) : given
            }
        }
        return parameters
    }

    /// The arguments passed as query parameters (those not in the path, and not `input`).
    public let queryArguments: [GraphQLInputValue]

    /// The item type of a page route, or the result type.
    var description: String? { self.nestedField?.description ?? self.rootField.description }

    /// A stable name for the OpenAPI `operationId`.
    public var operationID: String {
        self.method.rawValue.lowercased() + self.path.split(separator: "/").map { segment in
            let clean = segment.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).replacingOccurrences(of: "-", with: "_")
            return segment.hasPrefix("{") ? "By" + clean.prefix(1).uppercased() + clean.dropFirst() : clean.prefix(1).uppercased() + clean.dropFirst()
        }.joined()
    }
}
