import Gateway
import GatewayServer

/// Tokens and a verifier for route tests (HS256 with a test secret).
enum TestAuth {
    static let secret = "gateway-tests-secret-0123456789abcdef"

    static func authenticator() async throws -> JWTAuthenticator {
        try await JWTAuthenticator(configuration: JWTConfiguration(hmacSecret: self.secret))
    }

    /// `Bearer <token>` for `subject` as `role`.
    static func bearer(_ role: Principal.Role = .clinician, subject: String = "dr-test") async throws -> String {
        "Bearer " + (try await TokenMinter.hs256(secret: self.secret, subject: subject, role: role))
    }

    /// Server options that verify the test tokens.
    static func serverOptions() async throws -> GatewayServerOptions {
        var options = GatewayServerOptions()
        options.authenticator = try await self.authenticator()
        return options
    }
}
