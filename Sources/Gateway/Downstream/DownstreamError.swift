import GraphQLEngine

/// Why a downstream call failed. Crosses module boundaries, so it is a struct around a private
/// enum (cases can be added later); `shortDescription` has no associated values (metric-safe).
public struct DownstreamError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case timeout
        case deadline
        case circuitOpen
        case unavailable
        case badStatus(Int)
        case undecodable
        case rejected(status: Int)
        case badShape
        case graphQLErrors
    }

    private let code: Code
    /// The service the call went to.
    public let service: String

    /// The service did not answer before the request's deadline.
    public static func timeout(_ service: String) -> Self { Self(code: .timeout, service: service) }
    /// The client request's own deadline ran out while (or before) calling the service.
    public static func deadline(_ service: String) -> Self { Self(code: .deadline, service: service) }
    /// The service's circuit is open: the call was not made.
    public static func circuitOpen(_ service: String) -> Self { Self(code: .circuitOpen, service: service) }
    /// The service could not be reached (connection refused, reset, ...).
    public static func unavailable(_ service: String) -> Self { Self(code: .unavailable, service: service) }
    /// The service answered with an unexpected status (5xx, ...).
    public static func badStatus(_ status: Int, _ service: String) -> Self { Self(code: .badStatus(status), service: service) }
    /// The service's answer was not the JSON the contract promises.
    public static func undecodable(_ service: String) -> Self { Self(code: .undecodable, service: service) }
    /// The service refused the request (4xx). Its own code and message go to the log, never to
    /// the client: they may name internals or data.
    public static func rejected(status: Int, service: String) -> Self {
        Self(code: .rejected(status: status), service: service)
    }
    /// The answer was JSON, but not of the shape the schema needs (no list where one is due, items
    /// that are not objects): an error, never cached, never silently empty.
    public static func badShape(_ service: String) -> Self { Self(code: .badShape, service: service) }
    /// A GraphQL service answered with errors where the field's value should be. Its messages go
    /// to the log, never to the client.
    public static func graphQLErrors(_ service: String) -> Self { Self(code: .graphQLErrors, service: service) }

    public var description: String { "DownstreamError.\(self.code) (\(self.service))" }

    public var shortDescription: String {
        switch self.code {
        case .timeout: "timeout"
        case .deadline: "deadline"
        case .circuitOpen: "circuit_open"
        case .unavailable: "unavailable"
        case .badStatus: "bad_status"
        case .undecodable: "undecodable"
        case .rejected: "rejected"
        case .badShape: "bad_shape"
        case .graphQLErrors: "graphql_errors"
        }
    }

    /// The status label of a failed call's metrics: the HTTP status class, or what happened instead.
    var statusLabel: String {
        switch self.code {
        case .timeout: "timeout"
        case .deadline: "deadline"
        case .circuitOpen: "circuit_open"
        case .unavailable: "unavailable"
        case .badStatus(let status): "\(status / 100)xx"
        case .undecodable, .badShape, .graphQLErrors: "2xx"
        case .rejected(let status): "\(status / 100)xx"
        }
    }

    /// Whether a failed GET may be sent again: no answer came, or a 502/503/504 (the service or a
    /// proxy in front of it says it could not answer now). Timeouts are not: they used the time.
    var isRetryable: Bool {
        switch self.code {
        case .unavailable: true
        case .badStatus(let status): [502, 503, 504].contains(status)
        default: false
        }
    }

    /// Whether the outcome says the service is failing (for its circuit): no answer, a timeout, a
    /// 5xx, an unreadable body. A refusal (4xx) is an answer; the request's own deadline says nothing.
    var countsAgainstService: Bool? {
        switch self.code {
        case .timeout, .unavailable, .badStatus, .undecodable, .badShape: true
        case .rejected, .graphQLErrors: false
        case .deadline, .circuitOpen: nil
        }
    }

    /// The error as clients see it: a message, and `extensions.code` plus the service's name.
    public var graphQLError: GraphQLError {
        let (message, code): (String, String)
        switch self.code {
        case .timeout: (message, code) = ("The \(self.service) service did not answer in time.", "DOWNSTREAM_TIMEOUT")
        case .deadline: (message, code) = ("The request's time ran out before the \(self.service) service answered.", "REQUEST_TIMEOUT")
        case .unavailable: (message, code) = ("The \(self.service) service is unavailable.", "DOWNSTREAM_UNAVAILABLE")
        case .circuitOpen:
            (message, code) = ("The \(self.service) service is unavailable (failing fast while it recovers).", "DOWNSTREAM_UNAVAILABLE")
        case .badStatus(let status):
            (message, code) = ("The \(self.service) service failed (HTTP \(status)).", "DOWNSTREAM_ERROR")
        case .undecodable:
            (message, code) = ("The \(self.service) service sent a response that could not be read.", "DOWNSTREAM_BAD_RESPONSE")
        case .badShape:
            (message, code) = ("The \(self.service) service sent a response of an unexpected shape.", "DOWNSTREAM_BAD_RESPONSE")
        case .graphQLErrors:
            (message, code) = ("The \(self.service) service could not resolve this field.", "DOWNSTREAM_ERROR")
        case .rejected(let status) where [400, 409, 422].contains(status):
            (message, code) = ("The \(self.service) service refused the request as invalid (HTTP \(status)).", "DOWNSTREAM_BAD_REQUEST")
        case .rejected(let status):
            (message, code) = ("The \(self.service) service refused the request (HTTP \(status)).", "DOWNSTREAM_ERROR")
        }
        return GraphQLError(message, extensions: ["code": .string(code), "service": .string(self.service)])
    }
}
