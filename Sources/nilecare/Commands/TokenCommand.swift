import ArgumentParser
import Foundation
import Gateway

/// `nilecare token`: signs a development token (HS256) to call a local gateway with.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed HS256 JWT for calling a development gateway.",
        discussion: """
            Example: curl -H "Authorization: Bearer $(nilecare token --role clinician)" ...
            Patients read only their own records: nilecare token --role patient --subject 17
            """)

    @Option(help: "patient, clinician or admin.")
    var role: String = "clinician"

    @Option(help: "The token's subject (sub); for a patient, their patient id.")
    var subject: String = "dr-dev"

    @Option(help: "The HS256 secret (env NILECARE_JWT_SECRET; default: the development secret).")
    var secret: String = ProcessInfo.processInfo.environment["NILECARE_JWT_SECRET"] ?? developmentJWTSecret

    @Option(help: "Lifetime in seconds.")
    var ttlSeconds: Int = 3600

    @Option(help: "Issuer (iss) to put in the token.")
    var issuer: String?

    @Option(help: "Audience (aud) to put in the token.")
    var audience: String?

    func run() async throws {
        guard let role = Principal.Role(rawValue: self.role) else { throw ValidationError("--role takes patient, clinician or admin.") }
        guard self.secret.utf8.count >= 32 else { throw ValidationError("--secret must be at least 32 bytes.") }
        print(
            try await TokenMinter.hs256(
                secret: self.secret, subject: self.subject, role: role, lifetime: .seconds(max(1, self.ttlSeconds)), issuer: self.issuer,
                audience: self.audience))
    }
}
