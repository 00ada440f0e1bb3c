import GraphQLEngine

/// A REST facade error: its HTTP status, a stable code and a message, sent as
/// `{"success": false, "error": {"code", "message"}}`.
public struct RestFailure: Error, Equatable, Sendable {
    public let status: Int
    public let code: String
    public let message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func badRequest(_ message: String) -> RestFailure { RestFailure(status: 400, code: "BAD_REQUEST", message: message) }
    static func notFound(_ message: String) -> RestFailure { RestFailure(status: 404, code: "NOT_FOUND", message: message) }

    /// The status of a GraphQL error by its `extensions.code`.
    static func from(_ error: GraphQLErrorSummary) -> RestFailure {
        let status: Int
        switch error.code {
        case "UNAUTHENTICATED": status = 401
        case "FORBIDDEN": status = 403
        case "DOWNSTREAM_TIMEOUT", "REQUEST_TIMEOUT": status = 504
        case "DOWNSTREAM_BAD_REQUEST": status = 400
        case "RATE_LIMITED": status = 429
        case let code? where code.hasPrefix("DOWNSTREAM"): status = 502
        case "INTERNAL_SERVER_ERROR": status = 500
        default: status = 400
        }
        return RestFailure(status: status, code: error.code ?? "BAD_REQUEST", message: error.message)
    }
}

/// What the REST layer needs of a GraphQL error.
struct GraphQLErrorSummary {
    let message: String
    let code: String?

    init(_ error: GraphQLError) {
        self.message = error.message
        if case .string(let code)? = error.extensions["code"] { self.code = code } else { self.code = nil }
    }
}
