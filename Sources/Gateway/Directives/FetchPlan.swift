import GraphQLEngine
import Synchronization

/// A field's `@fetch` directive, checked and compiled: what the resolver calls and how it maps
/// the answer back. One instance per field and schema: its identity names the field's request
/// queue (a class, so resolvers and loaders share it without copying its strings).
public final class FetchPlan: Sendable {
    /// Where a batched call's key comes from.
    public enum KeySource: Sendable, Equatable {
        /// An argument of the (root) field.
        case argument(String)
        /// A field of the parent object.
        case parentField(String)
    }

    public let service: String
    /// The path template (`/api/v1/patients?limit={limit}`); placeholders name arguments or
    /// parent fields.
    public let path: String
    public let placeholders: [String]
    /// `path` split at its placeholders.
    let template: PathTemplate
    /// The query parameter carrying the batch's keys; `nil` for a single call per distinct URL.
    public let batchParam: String?
    public let key: KeySource?
    public let matchOn: String
    /// Whether the field returns a list (all matching items) or one item (the first match).
    public let returnsList: Bool
    /// The field's value for a parent without a key: an empty list, or null.
    var emptyAnswer: Value { self.returnsList ? .list([]) : .null }
    /// Whether the field's type wraps the whole answer (a page type with a `data` field)
    /// rather than the items in `data`.
    public let keepsEnvelope: Bool
    /// `Type.field`, for cache tags and messages.
    public let coordinate: String
    /// From `@cacheControl` on the field or its type; `nil`: not cached.
    public let cache: CachePolicy?
    /// From `@auth` on the field or its type; `nil`: anyone may read it.
    public let access: AccessRule?
    /// The plan's number in its schema (0, 1, ...): requests keep their queues in an array by it.
    let index: Int

    /// The endpoint a batched plan's calls go to, as (service, path, batch parameter, match key):
    /// the fields of one level that share it share its calls. For a subgraph: (service, entity type).
    public let endpoint: String
    /// Set when the field comes from a GraphQL subgraph (`@graphql`) rather than a REST call.
    public let subgraph: SubgraphRoute?
    /// Where parent fields are read from the parent value: under their name, or, when the parent
    /// came from a subgraph (keyed by the client's response keys), under the alias the gateway
    /// asked them by (`SubgraphRoute.keyAlias`).
    let parentFieldsFromSubgraph: Bool
    /// The parent fields this field reads (its key, path placeholders, entity key fields).
    public let parentFields: [String]

    init(
        service: String, template: PathTemplate, batchParam: String?, key: KeySource?, matchOn: String, returnsList: Bool,
        keepsEnvelope: Bool, coordinate: String, cache: CachePolicy?, access: AccessRule?, index: Int, subgraph: SubgraphRoute? = nil,
        parentFields: [String] = [], parentFieldsFromSubgraph: Bool = false
    ) {
        self.subgraph = subgraph
        self.parentFields = parentFields
        self.parentFieldsFromSubgraph = parentFieldsFromSubgraph
        self.index = index
        self.service = service
        self.path = template.path
        self.placeholders = template.placeholders
        self.template = template
        self.batchParam = batchParam
        self.key = key
        self.matchOn = matchOn
        self.returnsList = returnsList
        self.keepsEnvelope = keepsEnvelope
        self.coordinate = coordinate
        self.cache = cache
        self.access = access
        switch subgraph?.kind {
        case .entity(let typeName, _)?: self.endpoint = "\(service) _entities \(typeName)"
        case .root?: self.endpoint = "\(service) query"
        case nil: self.endpoint = "\(service) \(path) \(batchParam ?? "-") \(matchOn)"
        }
    }

    /// The parent's value of `field` (its key, a path placeholder).
    func parentValue(_ source: Value, _ field: String) -> Value? {
        source[self.parentProperty(field)]
    }

    /// The parent's property holding `field`: its name, or the alias a subgraph parent has it under.
    private func parentProperty(_ field: String) -> String {
        self.parentFieldsFromSubgraph ? SubgraphRoute.keyAlias(field) : field
    }

    /// Where the last parent read had the key field: the parents of one field share a shape, so
    /// the next one has it at the same position (a hint shared by concurrent requests).
    private let keyFieldSlot = Atomic<Int>(-1)

    /// The parent's value of the key field `field`, found through `keyFieldSlot`.
    func parentKeyValue(_ source: borrowing Value, _ field: String) -> Value? {
        source.property(self.parentProperty(field), hint: self.keyFieldSlot)
    }
}

/// A field's `@mutate` directive: POST the `input` argument to `service` at `path`, then drop the
/// cache entries its `@invalidates` directives name.
public struct MutationPlan: Sendable {
    /// One `@invalidates(field:, key:)`: the field whose entries go, and the argument path of the key
    /// (`input.patientId`); no key: every entry of the field.
    public struct Invalidation: Sendable {
        public let field: String
        public let keyPath: [String]?
    }

    public let service: String
    public let path: String
    public let invalidations: [Invalidation]
    /// From `@auth` on the mutation field (or its type); `nil`: anyone may run it.
    public let access: AccessRule?
    /// The event topics its result is published on once it succeeds (`@publishes`).
    public let publishes: [String]
}
