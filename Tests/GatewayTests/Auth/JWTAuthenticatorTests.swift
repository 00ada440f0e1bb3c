import Foundation
import JWTKit
import Synchronization
import Testing

@testable import Gateway

@Suite("Auth: JWT bearer tokens")
struct JWTAuthenticatorTests {
    static let secret = "unit-test-secret-0123456789abcdefghij"

    static func sign(_ claims: [String: JWTClaims.Claim], secret: String = secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(JWTClaims(claims: claims))
    }

    static func claims(_ overrides: [String: JWTClaims.Claim?] = [:]) -> [String: JWTClaims.Claim] {
        let now = Date().timeIntervalSince1970
        var claims: [String: JWTClaims.Claim] = ["sub": .string("17"), "role": .string("patient"), "exp": .number(now + 600), "iat": .number(now)]
        for (name, value) in overrides { claims[name] = value }
        return claims
    }

    static func unsigned(_ algorithm: String) -> String {
        let encode = { (text: String) in
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        }
        return encode(#"{"alg":"\#(algorithm)","typ":"JWT"}"#) + "." + encode(#"{"sub":"1","role":"admin","exp":9999999999}"#) + "."
    }

    func authenticator(_ configure: (inout JWTConfiguration) -> Void = { _ in }) async throws -> JWTAuthenticator {
        var configuration = JWTConfiguration(hmacSecret: Self.secret)
        configure(&configuration)
        return try await JWTAuthenticator(configuration: configuration)
    }

    @Test("a valid token maps to a principal; no header is anonymous")
    func valid() async throws {
        let authenticator = try await self.authenticator()
        let token = try await Self.sign(Self.claims())
        #expect(try await authenticator.authenticate(authorization: "Bearer \(token)").get() == Principal(subject: "17", role: .patient, patientID: "17"))
        #expect(try await authenticator.authenticate(authorization: nil).get() == .anonymous)
        let roles = try await Self.sign(Self.claims(["role": .list([.string("patient"), .string("clinician")]), "sub": .string("dr-1")]))
        #expect(try await authenticator.authenticate(authorization: "bearer \(roles)").get().role == .clinician)
    }

    @Test(
        "forged, expired, not-yet-valid, unsigned and malformed tokens are refused",
        arguments: ["forged", "expired", "notYetValid", "algNone", "algNoneCase", "malformed", "basic", "noExpiry", "noRole", "noSubject", "tooLong"])
    func refused(_ kind: String) async throws {
        let authenticator = try await self.authenticator()
        let now = Date().timeIntervalSince1970
        let header: String
        switch kind {
        case "forged": header = "Bearer " + (try await Self.sign(Self.claims(), secret: "another-secret-0123456789abcdefghijkl"))
        case "expired": header = "Bearer " + (try await Self.sign(Self.claims(["exp": .number(now - 3600)])))
        case "notYetValid": header = "Bearer " + (try await Self.sign(Self.claims(["nbf": .number(now + 3600)])))
        case "algNone": header = "Bearer " + Self.unsigned("none")
        case "algNoneCase": header = "Bearer " + Self.unsigned("None")
        case "malformed": header = "Bearer not.a.jwt"
        case "basic": header = "Basic YWRtaW46YWRtaW4="
        case "noExpiry": header = "Bearer " + (try await Self.sign(Self.claims(["exp": nil])))
        case "noRole": header = "Bearer " + (try await Self.sign(Self.claims(["role": .string("superuser")])))
        case "noSubject": header = "Bearer " + (try await Self.sign(Self.claims(["sub": nil])))
        default: header = "Bearer " + String(repeating: "A", count: 65536)
        }
        guard case .failure = await authenticator.authenticate(authorization: header) else {
            Issue.record("\(kind) was accepted")
            return
        }
    }

    @Test("issuer and audience are checked when configured; exp and nbf allow the leeway")
    func issuerAudienceLeeway() async throws {
        let authenticator = try await self.authenticator {
            $0.issuer = "https://auth.nilecare.example"
            $0.audience = "nilecare-gateway"
            $0.leeway = .seconds(60)
        }
        let now = Date().timeIntervalSince1970
        let good: [String: JWTClaims.Claim?] = ["iss": .string("https://auth.nilecare.example"), "aud": .list([.string("nilecare-gateway")])]
        #expect((try? await authenticator.authenticate(authorization: "Bearer " + Self.sign(Self.claims(good))).get()) != nil)
        var wrongAudience = good
        wrongAudience["aud"] = .string("someone-else")
        #expect((try? await authenticator.authenticate(authorization: "Bearer " + Self.sign(Self.claims(wrongAudience))).get()) == nil)
        var wrongIssuer = good
        wrongIssuer["iss"] = .string("https://issuer.invalid")
        #expect((try? await authenticator.authenticate(authorization: "Bearer " + Self.sign(Self.claims(wrongIssuer))).get()) == nil)
        var justExpired = good
        justExpired["exp"] = .number(now - 30)
        #expect((try? await authenticator.authenticate(authorization: "Bearer " + Self.sign(Self.claims(justExpired))).get()) != nil)
    }

    @Test("ES256 tokens verify against the JWKS; an HS256 token is not checked against those keys (no key confusion)")
    func asymmetric() async throws {
        let key = ES256PrivateKey()
        let parameters = try #require(key.parameters)
        let jwks = #"{"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","kid":"k1","use":"sig","x":"\#(parameters.x)","y":"\#(parameters.y)"}]}"#
        let authenticator = try await JWTAuthenticator(configuration: JWTConfiguration(jwksJSON: jwks))
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key, kid: "k1")
        let token = try await signer.sign(JWTClaims(claims: Self.claims(["sub": .string("dr-9"), "role": .string("clinician")])), kid: "k1")
        #expect(try await authenticator.authenticate(authorization: "Bearer \(token)").get().subject == "dr-9")
        // HS256 signed with the public key's text as the secret: refused, HS256 is not allowed here.
        let confused = try await Self.sign(Self.claims(), secret: jwks)
        guard case .failure = await authenticator.authenticate(authorization: "Bearer \(confused)") else {
            Issue.record("an HS256 token was accepted by a JWKS-only gateway")
            return
        }
    }

    @Test("a token verified once is remembered, but still refused once it expires")
    func verifiedTokenCache() async throws {
        let clock = Mutex(Date())
        let authenticator = try await self.authenticator {
            $0.leeway = .zero
            $0.now = { clock.withLock { $0 } }
        }
        let token = "Bearer " + (try await Self.sign(Self.claims(["exp": .number(Date().timeIntervalSince1970 + 60)])))
        #expect((try? await authenticator.authenticate(authorization: token).get()) != nil)
        #expect((try? await authenticator.authenticate(authorization: token).get()) != nil)
        clock.withLock { $0 += 61 }  // past `exp`: the remembered verification does not outlive it
        #expect((try? await authenticator.authenticate(authorization: token).get()) == nil)
    }

    @Test("the principal's cache scope depends on who it is, not on the token")
    func cacheScope() {
        #expect(Principal(subject: "a", role: .patient, patientID: "a").cacheScope != Principal(subject: "b", role: .patient, patientID: "b").cacheScope)
        #expect(Principal(subject: "a", role: .clinician).cacheScope == Principal(subject: "a", role: .clinician).cacheScope)
        #expect(Principal.anonymous.cacheScope == "anonymous")
    }
}
