import GraphQLEngine
import Hummingbird
import NIOCore

/// The insurance service: an Apollo Federation 2 subgraph (coverage and claims per patient)
/// executed by our own engine over `FixtureStore`'s `coverage` and `claims`.
///
/// `POST /graphql` takes `{"query", "variables", "operationName"}`; the schema is
/// `Fixtures/insurance.graphql` plus what the subgraph protocol adds: `_service { sdl }` (the SDL
/// as written) and `_entities(representations:)` for `Patient`, `Coverage` and `Claim` by `id`.
struct InsuranceSubgraph: Sendable {
    let schema: GraphQLSchema
    let sdl: String

    /// What the Federation specification adds to a subgraph's own SDL.
    static let federationAdditions = """
        scalar _Any
        scalar FieldSet
        scalar link__Import
        directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
        directive @shareable repeatable on OBJECT | FIELD_DEFINITION
        directive @link(url: String!, import: [link__Import]) repeatable on SCHEMA
        type _Service { sdl: String! }
        union _Entity = Coverage | Claim | Patient
        extend type Query {
          _service: _Service!
          _entities(representations: [_Any!]!): [_Entity]!
        }

        """

    init(sdl: String, store: FixtureStore) throws {
        self.sdl = sdl
        let schema = try buildSchema(Self.federationAdditions + sdl, sourceName: "insurance.graphql")
        let byID: @Sendable (String, String) -> Value = { collection, id in
            store.withCollection(collection) { $0.find(ids: [id]).first } ?? .null
        }
        // A patient's claims (by the collection's patient index), of one status when asked.
        let claims: @Sendable (String, [String: Value], (Value) -> Bool) -> Value = { patientID, arguments, belongs in
            let status = arguments["status"]?.stringValue
            return .list(store.withCollection("claims") { $0.find(patientIds: [patientID]) }.filter {
                belongs($0) && (status == nil || $0["status"]?.stringValue == status)
            })
        }
        let query = schema.queryType
        query?.field("coverage")?.resolve = { _, arguments, _ in .value(byID("coverage", arguments["id"]?.stringValue ?? "")) }
        query?.field("claim")?.resolve = { _, arguments, _ in .value(byID("claims", arguments["id"]?.stringValue ?? "")) }
        query?.field("_service")?.resolve = { _, _, _ in .value(["sdl": .string(sdl)]) }
        query?.field("_entities")?.resolve = { _, arguments, _ in
            guard case .list(let representations)? = arguments["representations"] else { return .value(.list([])) }
            return .value(.list(representations.map { representation in
                let id = representation["id"].flatMap(\.stringValue) ?? ""
                let entity: Value
                switch representation["__typename"]?.stringValue {
                case "Patient": entity = ["id": .string(id)]
                case "Coverage": entity = byID("coverage", id)
                case "Claim": entity = byID("claims", id)
                default: return .null
                }
                guard case .object(var fields) = entity else { return .null }
                fields["__typename"] = representation["__typename"]
                return .object(fields)
            }))
        }
        let patient = schema.type(named: "Patient")
        patient?.field("coverage")?.resolve = { source, _, _ in
            .value(.list(store.withCollection("coverage") { $0.find(patientIds: [source["id"]?.stringValue ?? ""]) }))
        }
        patient?.field("claims")?.resolve = { source, arguments, _ in
            .value(claims(source["id"]?.stringValue ?? "", arguments) { _ in true })
        }
        schema.type(named: "Coverage")?.field("claims")?.resolve = { source, arguments, _ in
            let id = source["id"]?.stringValue
            return .value(claims(source["patientId"]?.stringValue ?? "", arguments) { $0["coverageId"]?.stringValue == id })
        }
        self.schema = schema
    }

    /// Answers one GraphQL-over-HTTP request; `onEntities` learns whether it asked for `_entities`.
    func answer(_ body: [UInt8]) -> (Response, operation: String) {
        guard let request = try? JSONReader.parse(body), case .string(let text)? = request["query"] else {
            return (jsonResponse(["errors": [["message": "The body must be a JSON object with a query."]]], status: .badRequest), "invalid")
        }
        let source = Source(text, name: "request")
        let document: Document
        do {
            document = try Parser.parse(source)
        } catch {
            return (jsonResponse(["errors": [["message": .string(error.graphQLError(in: source).message)]]], status: .badRequest), "invalid")
        }
        let errors = validate(schema: self.schema, document: document, source: source)
        guard errors.isEmpty else {
            return (jsonResponse(["errors": .list(errors.map { ["message": .string($0.message)] })], status: .badRequest), "invalid")
        }
        var variables: [String: Value] = [:]
        if case .object(let given)? = request["variables"] { variables = given.dictionary }
        let result = executeSync(
            ExecutionRequest(
                schema: self.schema, document: document, operationName: request["operationName"]?.stringValue, variables: variables,
                source: source))
        let asksEntities = document.operations.contains { operation in
            operation.selectionSet.selections.contains { if case .field(let field) = $0 { field.name.value == "_entities" } else { false } }
        }
        let bytes = result.jsonBytes()
        let response = Response(
            status: .ok, headers: [.contentType: "application/graphql-response+json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        return (response, asksEntities ? "_entities" : "query")
    }
}
