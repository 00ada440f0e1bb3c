import Foundation

/// Who is calling: from a verified JWT, or nobody.
public struct Principal: Sendable, Hashable {
    /// The roles of the platform, as the JWT's role claim names them.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case patient, clinician, admin
    }

    /// The token's `sub`; `nil` for anonymous callers.
    public let subject: String?
    /// `nil` for anonymous callers.
    public let role: Role?
    /// For patients: the patient id whose records they may read.
    public let patientID: String?

    /// What PRIVATE cache entries are keyed by: a hash of who the caller is (stable across token
    /// renewals, never the credential itself). Made once: verified principals are reused per request.
    public let cacheScope: String
    /// When the token stops being valid (its `exp`); a subscription ends then. Not part of equality.
    public let expiresAt: Date?

    public init(subject: String, role: Role, patientID: String? = nil, expiresAt: Date? = nil) {
        self.subject = subject
        self.role = role
        self.patientID = patientID
        self.expiresAt = expiresAt
        self.cacheScope = String(SHA256Digest.hex("\(role.rawValue)\u{0}\(subject)\u{0}\(patientID ?? "")").prefix(32))
    }

    private init() {
        self.subject = nil
        self.role = nil
        self.patientID = nil
        self.cacheScope = "anonymous"
        self.expiresAt = nil
    }

    public static func == (lhs: Principal, rhs: Principal) -> Bool {
        lhs.subject == rhs.subject && lhs.role == rhs.role && lhs.patientID == rhs.patientID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.cacheScope)
    }

    public static let anonymous = Principal()

    public var isAuthenticated: Bool { self.role != nil }
}

extension Principal {
    /// The key rate limits count this caller under: the cache scope (a hash of role, subject and
    /// patient id; no identifier in clear in Redis).
    public var rateLimitKey: String { self.cacheScope }
}
