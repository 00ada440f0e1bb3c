import Foundation
import JWTKit

/// Signs HS256 tokens with the gateway's secret: `nilecare token` for development, and tests.
public enum TokenMinter {
    /// A token for `subject` acting as `role` (for patients, `patientID` defaults to the subject).
    public static func hs256(
        secret: String, subject: String, role: Principal.Role, patientID: String? = nil, lifetime: Duration = .seconds(3600),
        issuer: String? = nil, audience: String? = nil, extraClaims: [String: String] = [:]
    ) async throws -> String {
        guard secret.utf8.count >= 32 else { throw AuthenticationFailure(message: "the JWT secret must be at least 32 bytes") }
        let now = Date().timeIntervalSince1970.rounded(.down)
        var claims: [String: JWTClaims.Claim] = [
            "sub": .string(subject), "role": .string(role.rawValue), "iat": .number(now),
            "exp": .number(now + Double(lifetime.components.seconds)),
        ]
        if let patientID { claims["patient_id"] = .string(patientID) }
        if let issuer { claims["iss"] = .string(issuer) }
        if let audience { claims["aud"] = .string(audience) }
        for (name, value) in extraClaims { claims[name] = .string(value) }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(JWTClaims(claims: claims))
    }
}
