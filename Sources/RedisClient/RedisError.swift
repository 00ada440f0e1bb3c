/// Why a Redis command failed. A struct around a private enum (cases can be added later);
/// `shortDescription` has no associated values (safe as a metric label).
public struct RedisError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case unavailable(String)
        case timeout
        case protocolError(String)
        case server(String)
        case connectionClosed
    }

    private let code: Code

    /// Redis could not be reached (or is in its reconnect back-off).
    public static func unavailable(_ reason: String) -> Self { Self(code: .unavailable(reason)) }
    /// The reply did not arrive before the command's deadline.
    public static let timeout = Self(code: .timeout)
    static func protocolError(_ reason: String) -> Self { Self(code: .protocolError(reason)) }
    /// Redis answered with an error reply.
    public static func server(_ message: String) -> Self { Self(code: .server(message)) }
    public static let connectionClosed = Self(code: .connectionClosed)

    public var description: String { "RedisError.\(self.code)" }

    public var shortDescription: String {
        switch self.code {
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .protocolError: "protocol"
        case .server: "server"
        case .connectionClosed: "closed"
        }
    }
}

extension RedisError {
    /// The text of an error reply (`MOVED 3999 127.0.0.1:6381`), or `nil` for other failures.
    var serverMessage: String? {
        if case .server(let message) = self.code { return message }
        return nil
    }

    /// The connection failed or closed: the command may be retried elsewhere after a topology refresh.
    var isConnectionFailure: Bool {
        switch self.code {
        case .unavailable, .connectionClosed: true
        default: false
        }
    }
}
