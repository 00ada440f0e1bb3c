import GraphQLEngine
import JWTKit

/// Every claim of a verified token, kept as JSON-ish values: which claim holds the role or the
/// patient id is configuration, and the time claims are checked by `JWTAuthenticator` with its leeway.
struct JWTClaims: JWTPayload {
    enum Claim: Codable, Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case list([Claim])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else if let list = try? container.decode([Claim].self) {
                self = .list(list)
            } else {
                self = .other
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let string): try container.encode(string)
            case .number(let number): try container.encode(number)
            case .bool(let bool): try container.encode(bool)
            case .list(let list): try container.encode(list)
            case .other: try container.encodeNil()
            }
        }

        /// The claim's strings: itself, or a list's strings.
        var strings: [String] {
            switch self {
            case .string(let string): [string]
            case .list(let list): list.flatMap(\.strings)
            case .number(let number): number.exactInt.map { [String($0)] } ?? []
            default: []
            }
        }

        var number: Double? { if case .number(let number) = self { number } else { nil } }
    }

    let claims: [String: Claim]

    init(from decoder: any Decoder) throws {
        self.claims = try decoder.singleValueContainer().decode([String: Claim].self)
    }

    init(claims: [String: Claim]) {
        self.claims = claims
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.claims)
    }

    /// Signature checks come first (jwt-kit); the claims are checked by `JWTAuthenticator`.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    subscript(name: String) -> Claim? { self.claims[name] }
}
