import GraphQLEngine
import HTTPTypes

/// The HTTP status of a refused subscription, from its error's code.
enum SubscriptionRefusal {
    static func status(of result: ExecutionResult) -> HTTPResponse.Status {
        switch result.errors.first?.extensions["code"] {
        case "UNAUTHENTICATED": .unauthorized
        case "FORBIDDEN": .forbidden
        case "RATE_LIMITED", "TOO_MANY_SUBSCRIPTIONS": .tooManyRequests
        case "SUBSCRIPTIONS_OFF": .notImplemented
        default: .badRequest
        }
    }
}
