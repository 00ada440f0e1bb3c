import GraphQLEngine

/// Why a downstream call failed. Crosses module boundaries, so it is a struct around a private
/// enum (cases can be added later); `shortDescription` has no associated values (metric-safe).
public struct DownstreamError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case timeout
        case unavailable
        case badStatus(Int)
        case undecodable
        case rejected(status: Int, code: String, message: String)
    }

    private let code: Code
    /// The service the call went to.
    public let service: String

    /// The service did not answer before the request's deadline.
    public static func timeout(_ service: String) -> Self { Self(code: .timeout, service: service) }
    /// The service could not be reached (connection refused, reset, ...).
    public static func unavailable(_ service: String) -> Self { Self(code: .unavailable, service: service) }
    /// The service answered with an unexpected status (5xx, ...).
    public static func badStatus(_ status: Int, _ service: String) -> Self { Self(code: .badStatus(status), service: service) }
    /// The service's answer was not the JSON the contract promises.
    public static func undecodable(_ service: String) -> Self { Self(code: .undecodable, service: service) }
    /// The service refused the input (4xx with an error envelope), as on a failed validation.
    public static func rejected(status: Int, code: String, message: String, service: String) -> Self {
        Self(code: .rejected(status: status, code: code, message: message), service: service)
    }

    public var description: String { "DownstreamError.\(self.code) (\(self.service))" }

    public var shortDescription: String {
        switch self.code {
        case .timeout: "timeout"
        case .unavailable: "unavailable"
        case .badStatus: "bad_status"
        case .undecodable: "undecodable"
        case .rejected: "rejected"
        }
    }

    /// The status label of a failed call's metrics: the HTTP status class, or what happened instead.
    var statusLabel: String {
        switch self.code {
        case .timeout: "timeout"
        case .unavailable: "unavailable"
        case .badStatus(let status): "\(status / 100)xx"
        case .undecodable: "2xx"
        case .rejected(let status, _, _): "\(status / 100)xx"
        }
    }

    /// Whether a failed GET may be sent once more (only when no response came at all).
    var isRetryable: Bool { self.code == .unavailable }

    /// The error as clients see it: a message, and `extensions.code` plus the service's name.
    public var graphQLError: GraphQLError {
        let (message, code): (String, String)
        switch self.code {
        case .timeout: (message, code) = ("The \(self.service) service did not answer in time.", "DOWNSTREAM_TIMEOUT")
        case .unavailable: (message, code) = ("The \(self.service) service is unavailable.", "DOWNSTREAM_UNAVAILABLE")
        case .badStatus(let status):
            (message, code) = ("The \(self.service) service failed (HTTP \(status)).", "DOWNSTREAM_ERROR")
        case .undecodable:
            (message, code) = ("The \(self.service) service sent a response that could not be read.", "DOWNSTREAM_BAD_RESPONSE")
        case .rejected(_, let downstreamCode, let downstreamMessage):
            (message, code) = (downstreamMessage, downstreamCode == "VALIDATION_ERROR" ? "BAD_USER_INPUT" : downstreamCode)
        }
        return GraphQLError(message, extensions: ["code": .string(code), "service": .string(self.service)])
    }
}
