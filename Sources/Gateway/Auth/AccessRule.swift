import GraphQLEngine

/// Who may read a field, from `@auth` on the field or on its type: the roles allowed, and for
/// patients the field of each returned entity (or the argument) that must be their own patient id.
public struct AccessRule: Sendable, Equatable {
    public let roles: Set<Principal.Role>
    /// A field of the returned entities holding the patient id they belong to (`id`, `patientId`).
    public let ownerField: String?
    /// An argument path holding the patient id a mutation acts for (`input.patientId`).
    public let ownerArgument: [String]?
    /// Where the owner id is in a returned entity: the owner field itself, or, for entities a
    /// subgraph returns (keyed by the client's response keys), the alias the gateway asked it under.
    let ownerKey: String?

    init(roles: Set<Principal.Role>, ownerField: String?, ownerArgument: [String]?, ownerKey: String? = nil) {
        self.roles = roles
        self.ownerField = ownerField
        self.ownerArgument = ownerArgument
        self.ownerKey = ownerKey ?? ownerField
    }

    /// Refuses before any downstream call: nobody signed in, a role not allowed, or (for patients)
    /// an owner argument naming someone else. `nil` when the call may go ahead.
    func denial(for principal: Principal, arguments: [String: Value], coordinate: String) -> GraphQLError? {
        if let refused = self.roleDenial(for: principal, coordinate: coordinate) { return refused }
        if principal.role == .patient, let path = self.ownerArgument {
            var value: Value? = .object(arguments)
            for component in path { value = value?[component] }
            guard let owner = value.flatMap(keyString), owner == principal.patientID else {
                return GraphQLError("Patients may only act for themselves.", extensions: ["code": "FORBIDDEN"])
            }
        }
        return nil
    }

    /// Refuses a caller without a token (UNAUTHENTICATED) or without an allowed role (FORBIDDEN).
    func roleDenial(for principal: Principal, coordinate: @autoclosure () -> String) -> GraphQLError? {
        guard let role = principal.role else {
            return GraphQLError("Sign in to read \(coordinate()).", extensions: ["code": "UNAUTHENTICATED"])
        }
        guard self.roles.contains(role) else {
            return GraphQLError("The \(role.rawValue) role may not access \(coordinate()).", extensions: ["code": "FORBIDDEN"])
        }
        return nil
    }

    /// Whether `principal` may see `entities` (checked on the data returned, so an id that is not
    /// the caller's is refused whatever path led to it).
    func permits(_ entities: [Value], for principal: Principal) -> Bool {
        guard principal.role == .patient, let ownerKey else { return true }
        guard let patientID = principal.patientID else { return entities.isEmpty }
        return entities.allSatisfy { $0[ownerKey].flatMap(keyString) == patientID }
    }

    /// Whether `principal` is held to data of their own under this rule (patients, where it names an owner).
    func restrictsToOwner(_ principal: Principal) -> Bool {
        principal.role == .patient && self.ownerField != nil
    }

    /// Whether `principal` may ask for data owned by `owner`.
    func mayAsk(forOwner owner: String, _ principal: Principal) -> Bool {
        !self.restrictsToOwner(principal) || principal.patientID == owner
    }

    /// The patient ids `entities` belong to (for the audit log).
    func owners(of entities: [Value]) -> [String] {
        guard let ownerKey else { return [] }
        return entities.compactMap { $0[ownerKey].flatMap(keyString) }
    }

    static func forbidden(_ coordinate: String) -> GraphQLError {
        GraphQLError("Not allowed to read \(coordinate) of another patient.", extensions: ["code": "FORBIDDEN"])
    }
}
