import ArgumentParser
import Foundation
import Gateway
import GatewayServer

/// The development secret `nilecare serve` verifies HS256 tokens with when none is configured
/// (dev profile only; `nilecare token` signs with it). Documented, hence never for production.
let developmentJWTSecret = "nilecare-development-secret-change-me"

/// Authentication, authorization and abuse limits of `nilecare serve`, with a profile choosing
/// their defaults: `dev` (introspection on, CSRF off, the development JWT secret) or `production`
/// (introspection off, CSRF on, error messages without internals, a secret or JWKS required,
/// stricter limits).
struct SecurityOptions: ParsableArguments {
    @Option(help: "dev or production (env NILECARE_PROFILE): production turns the safe settings on together.")
    var profile: String = ProcessInfo.processInfo.environment["NILECARE_PROFILE"] ?? "dev"

    @Option(help: "HS256 secret (at least 32 bytes) tokens are verified with (env NILECARE_JWT_SECRET); dev default: the development secret.")
    var jwtSecret: String?

    @Option(help: "A JWKS file of RS256/ES256 public keys tokens may be signed with.")
    var jwksFile: String?

    @Option(help: "Required token issuer (iss).")
    var jwtIssuer: String?

    @Option(help: "Required token audience (aud).")
    var jwtAudience: String?

    @Option(help: "Clock skew allowed on exp and nbf, in seconds.")
    var jwtLeewaySeconds: Int = 30

    @Option(help: "The claim naming the caller's role (patient, clinician, admin).")
    var jwtRoleClaim: String = "role"

    @Option(help: "The claim holding a patient's own id (default: sub).")
    var jwtPatientClaim: String?

    @Option(help: "Introspection on or off (default: on in dev, off in production).")
    var introspection: Toggle?

    @Option(help: "CSRF protection on or off (default: off in dev, on in production).")
    var csrf: Toggle?

    @Option(help: "GET /schema.graphql on or off (default: as --introspection).")
    var schemaEndpoint: Toggle?

    @Option(help: "GET /openapi/v1.json and /openapi/v2.json on or off (default: as --introspection).")
    var openapi: Toggle?

    @Option(help: "GET /api/docs, the REST reference page, on or off (default: as --introspection).")
    var apiDocs: Toggle?

    @Option(help: "The schema explorer (/explorer, and GET /graphql from a browser) on or off (default: as --introspection).")
    var explorer: Toggle?

    @Option(help: "Operation names as a metric label, on or off (default: on in dev, off in production: names are client-chosen).")
    var metricsOperationNames: Toggle?

    @Option(help: "Seconds a keep-alive connection may stay idle before it is closed.")
    var idleTimeoutSeconds: Int = 60

    @Option(help: "Seconds a request's head (request line and headers) may take to arrive.")
    var headerReadTimeoutSeconds: Int = 30

    @Option(name: .customLong("cors-origin"), help: "An origin browsers may call from (repeatable; * for any).")
    var corsOrigins: [String] = []

    @Option(help: "PHI audit log: a file to append JSON lines to, stdout, or off.")
    var auditLog: String = ProcessInfo.processInfo.environment["NILECARE_AUDIT_LOG"] ?? "stdout"

    @Option(help: "Deepest field nesting (default 15; production 10).")
    var maxDepth: Int?

    @Option(help: "Most aliases in an operation (default 30; production 15).")
    var maxAliases: Int?

    @Option(help: "Most root fields in an operation (default 20; production 10).")
    var maxRootFields: Int?

    @Option(help: "Highest estimated cost of an operation (default 20000; production 5000).")
    var maxCost: Int?

    @Option(help: "Largest request body, in bytes (default 1 MiB; production 256 KiB).")
    var maxBodyBytes: Int?

    @Option(help: "Longest a request may run, in milliseconds.")
    var requestTimeoutMs: Int = 30_000

    enum Toggle: String, ExpressibleByArgument {
        case on, off
    }

    var isProduction: Bool { self.profile == "production" }

    func validate() throws {
        guard ["dev", "production"].contains(self.profile) else { throw ValidationError("--profile takes dev or production.") }
        if self.isProduction, self.secret == nil, self.jwksFile == nil {
            throw ValidationError("the production profile needs --jwt-secret (or NILECARE_JWT_SECRET) or --jwks-file.")
        }
        if let secret = self.secret, secret.utf8.count < 32 { throw ValidationError("--jwt-secret must be at least 32 bytes.") }
        if self.isProduction, self.secret == developmentJWTSecret {
            throw ValidationError("the production profile refuses the documented development secret: give a secret of your own.")
        }
        guard self.idleTimeoutSeconds > 0, self.headerReadTimeoutSeconds > 0 else {
            throw ValidationError("--idle-timeout-seconds and --header-read-timeout-seconds must be positive.")
        }
    }

    /// The HS256 secret in force: given, from the environment, or (dev only) the development one.
    var secret: String? {
        self.jwtSecret ?? ProcessInfo.processInfo.environment["NILECARE_JWT_SECRET"] ?? (self.isProduction ? nil : developmentJWTSecret)
    }

    func authenticator() async throws -> JWTAuthenticator {
        var configuration = JWTConfiguration(hmacSecret: self.secret)
        if let path = self.jwksFile { configuration.jwksJSON = try String(contentsOfFile: path, encoding: .utf8) }
        configuration.issuer = self.jwtIssuer
        configuration.audience = self.jwtAudience
        configuration.leeway = .seconds(max(0, self.jwtLeewaySeconds))
        configuration.roleClaim = self.jwtRoleClaim
        configuration.patientClaim = self.jwtPatientClaim
        return try await JWTAuthenticator(configuration: configuration)
    }

    /// Applies the limits, introspection, timeout and audit log to the execution options.
    func apply(to options: inout ExecutionOptions) throws {
        options.allowIntrospection = (self.introspection ?? (self.isProduction ? .off : .on)) == .on
        options.limits.maxDepth = self.maxDepth ?? (self.isProduction ? 10 : 15)
        options.limits.maxAliases = self.maxAliases ?? (self.isProduction ? 15 : 30)
        options.limits.maxRootFields = self.maxRootFields ?? (self.isProduction ? 10 : 20)
        options.limits.maxCost = self.maxCost ?? (self.isProduction ? 5_000 : 20_000)
        options.requestTimeout = .milliseconds(max(1, self.requestTimeoutMs))
        options.maskUnexpectedErrors = self.isProduction
        options.metricsOperationNames = (self.metricsOperationNames ?? (self.isProduction ? .off : .on)) == .on
        if self.auditLog != "off" { options.auditSink = try JSONLinesAuditSink(path: self.auditLog) }
    }

    /// Applies authentication, CSRF, CORS and the body limit to the server options.
    func apply(to options: inout GatewayServerOptions) async throws {
        options.authenticator = try await self.authenticator()
        options.csrfProtection = (self.csrf ?? (self.isProduction ? .on : .off)) == .on
        options.allowedOrigins = self.corsOrigins
        options.maxBodyBytes = self.maxBodyBytes ?? (self.isProduction ? 256 * 1024 : 1024 * 1024)
        let introspection = self.introspection ?? (self.isProduction ? .off : .on)
        options.servesSchema = (self.schemaEndpoint ?? introspection) == .on
        options.servesOpenAPI = (self.openapi ?? introspection) == .on
        options.servesAPIDocs = (self.apiDocs ?? introspection) == .on
        options.servesExplorer = (self.explorer ?? introspection) == .on
        options.idleTimeout = .seconds(self.idleTimeoutSeconds)
        options.headerReadTimeout = .seconds(self.headerReadTimeoutSeconds)
    }
}
