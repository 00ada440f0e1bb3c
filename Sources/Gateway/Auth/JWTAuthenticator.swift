import Foundation
import JWTKit
import Synchronization

/// How bearer tokens are checked and turned into principals.
public struct JWTConfiguration: Sendable {
    /// The HS256 shared secret; `nil`: no HMAC tokens.
    public var hmacSecret: String?
    /// A JWKS document (RS256 / ES256 public keys); `nil`: no asymmetric tokens.
    public var jwksJSON: String?
    /// When set, tokens must carry this `iss`.
    public var issuer: String?
    /// When set, tokens must name this audience in `aud`.
    public var audience: String?
    /// Clock skew allowed on `exp` and `nbf`.
    public var leeway: Duration = .seconds(30)
    /// The claim naming the role (`patient`, `clinician`, `admin`; a string or a list).
    public var roleClaim = "role"
    /// The claim holding a patient's own patient id; `nil`: their `sub`.
    public var patientClaim: String?
    /// The longest `Authorization` header read (longer is refused unread).
    public var maxTokenBytes = 8192
    /// The wall clock `exp` and `nbf` are checked against (tests move it instead of waiting).
    public var now: @Sendable () -> Date = { Date() }

    public init(hmacSecret: String? = nil, jwksJSON: String? = nil) {
        self.hmacSecret = hmacSecret
        self.jwksJSON = jwksJSON
    }

    /// The algorithms accepted: HS256 with a secret, RS256 and ES256 with a JWKS. Never `none`.
    public var allowedAlgorithms: Set<String> {
        var algorithms: Set<String> = []
        if self.hmacSecret != nil { algorithms.insert("HS256") }
        if self.jwksJSON != nil { algorithms.formUnion(["RS256", "ES256"]) }
        return algorithms
    }
}

/// Why a presented token was refused (always a 401: an invalid token is never anonymous).
public struct AuthenticationFailure: Error, Equatable, Sendable {
    public let message: String
}

/// Verifies bearer tokens with jwt-kit: the algorithm must be allowed and match its key kind (HMAC
/// tokens only against the secret, RSA/EC only against the JWKS: no key confusion), the signature
/// must verify, `exp` must be present, and `exp`/`nbf`/`iss`/`aud` hold within the leeway.
public final class JWTAuthenticator: Sendable {
    public let configuration: JWTConfiguration
    private let hmacKeys: JWTKeyCollection?
    private let publicKeys: JWTKeyCollection?
    /// Tokens already verified, with their principal and time bounds: a client sending the same
    /// token again costs a lookup, not a signature check (time claims are still checked every time).
    private let verified = Mutex<[String: VerifiedToken]>([:])
    private static let verifiedCapacity = 10_000

    private struct VerifiedToken {
        let principal: Principal
        let notBefore: Double?
        let expiry: Double
    }

    public init(configuration: JWTConfiguration) async throws {
        self.configuration = configuration
        if let secret = configuration.hmacSecret {
            // HS256 needs a key at least as long as its output (RFC 7518 §3.2).
            guard secret.utf8.count >= 32 else { throw AuthenticationFailure(message: "the JWT secret must be at least 32 bytes") }
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            self.hmacKeys = keys
        } else {
            self.hmacKeys = nil
        }
        if let jwks = configuration.jwksJSON {
            let keys = JWTKeyCollection()
            try await keys.add(jwksJSON: jwks)
            self.publicKeys = keys
        } else {
            self.publicKeys = nil
        }
    }

    /// The caller of a request: anonymous without an `Authorization` header, else the token's principal.
    public func authenticate(authorization: String?) async -> Result<Principal, AuthenticationFailure> {
        guard let authorization, !authorization.isEmpty else { return .success(.anonymous) }
        guard authorization.utf8.count <= self.configuration.maxTokenBytes else { return .failure(.init(message: "The token is too long.")) }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .failure(.init(message: "Send a bearer token: Authorization: Bearer <JWT>."))
        }
        let token = parts[1].trimmingSpacesAndTabs
        let now = self.configuration.now().timeIntervalSince1970
        let leeway = Double(self.configuration.leeway.components.seconds)
        if let known = self.verified.withLock({ $0[token] }) {
            guard now < known.expiry + leeway else { return .failure(.init(message: "The token has expired.")) }
            if let notBefore = known.notBefore, now + leeway < notBefore { return .failure(.init(message: "The token is not valid yet (nbf).")) }
            return .success(known.principal)
        }
        guard let algorithm = Self.algorithm(of: token) else { return .failure(.init(message: "The token is not a JWT.")) }
        guard self.configuration.allowedAlgorithms.contains(algorithm) else {
            return .failure(.init(message: "The token's algorithm \(algorithm) is not accepted."))
        }
        guard let keys = algorithm.hasPrefix("HS") ? self.hmacKeys : self.publicKeys else {
            return .failure(.init(message: "The token's algorithm \(algorithm) is not accepted."))
        }
        let claims: JWTClaims
        do {
            claims = try await keys.verify(token, as: JWTClaims.self)
        } catch {
            return .failure(.init(message: "The token's signature does not verify."))
        }
        let result = self.principal(from: claims, now: self.configuration.now())
        if case .success(let principal) = result, let expiry = claims["exp"]?.number {
            self.verified.withLock { cache in
                if cache.count >= Self.verifiedCapacity { cache.removeAll(keepingCapacity: true) }
                cache[token] = VerifiedToken(principal: principal, notBefore: claims["nbf"]?.number, expiry: expiry)
            }
        }
        return result
    }

    /// The principal of verified claims, once the time, issuer and audience claims hold.
    func principal(from claims: JWTClaims, now: Date) -> Result<Principal, AuthenticationFailure> {
        let leeway = Double(self.configuration.leeway.components.seconds)
        guard let expiry = claims["exp"]?.number else { return .failure(.init(message: "The token has no expiry (exp).")) }
        guard now.timeIntervalSince1970 < expiry + leeway else { return .failure(.init(message: "The token has expired.")) }
        if let notBefore = claims["nbf"] {
            guard let value = notBefore.number, now.timeIntervalSince1970 + leeway >= value else {
                return .failure(.init(message: "The token is not valid yet (nbf)."))
            }
        }
        if let issuer = self.configuration.issuer, claims["iss"]?.strings != [issuer] {
            return .failure(.init(message: "The token was issued by someone else (iss)."))
        }
        if let audience = self.configuration.audience, claims["aud"]?.strings.contains(audience) != true {
            return .failure(.init(message: "The token is meant for someone else (aud)."))
        }
        guard let subject = claims["sub"]?.strings.first, !subject.isEmpty else {
            return .failure(.init(message: "The token has no subject (sub)."))
        }
        // A token naming several roles acts with the most privileged one it names.
        let named = Set(claims[self.configuration.roleClaim]?.strings.compactMap { Principal.Role(rawValue: $0.lowercased()) } ?? [])
        guard let role = [Principal.Role.admin, .clinician, .patient].first(where: named.contains) else {
            return .failure(.init(message: "The token names no known role (\(self.configuration.roleClaim)).")) 
        }
        var patientID: String?
        if role == .patient {
            patientID = self.configuration.patientClaim.map { claims[$0]?.strings.first } ?? subject
            guard let patientID, !patientID.isEmpty else { return .failure(.init(message: "A patient token must name the patient.")) }
        }
        return .success(Principal(subject: subject, role: role, patientID: patientID, expiresAt: Date(timeIntervalSince1970: expiry)))
    }

    /// The `alg` of a compact JWT's header, exactly as written (so `None` is not taken for `none`).
    static func algorithm(of token: String) -> String? {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let header = base64URLDecode(segments[0]),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            let algorithm = object["alg"] as? String
        else { return nil }
        return algorithm
    }
}

/// Decodes unpadded base64url.
func base64URLDecode(_ text: some StringProtocol) -> Data? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Data(base64Encoded: base64)
}
