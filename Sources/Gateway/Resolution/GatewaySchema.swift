import Foundation
import GraphQLEngine

/// The gateway's schema: SDL from `Schema/`, its `@fetch`/`@mutate` directives checked and
/// compiled into resolvers. Immutable once loaded; a reload builds a new one.
public final class GatewaySchema: Sendable {
    public let schema: GraphQLSchema
    /// The public SDL: the gateway's own directives stripped.
    public let publicSDL: String
    /// A digest of the SDL: cache keys carry it, so a schema change never reads old entries.
    public let version: String
    /// Fetch plans by field, for the downstream-call budget.
    let fetchPlans: [ObjectIdentifier: FetchPlan]
    let mutationPlans: [ObjectIdentifier: MutationPlan]
    /// Types whose values come from a subgraph, by name, with the subgraph's service.
    public let subgraphTypes: [String: String]
    /// The services `@graphql` fields go to.
    public let subgraphServices: Set<String>
    /// The subgraph SDLs this schema was checked against (a reload is checked against them too).
    public let subgraphs: [SubgraphSDL]
    /// Fields some mutation invalidates (`@invalidates`): their cached entries change under writes.
    public let volatileFields: Set<String>
    /// Subscription fields' event sources (`@event`), by field name.
    public let subscriptionPlans: [String: SubscriptionPlan]
    /// The access rule of a field resolved by `@fetch` or `@mutate` (`nil`: open to anyone).
    public func accessRule(of field: GraphQLField) -> AccessRule? {
        self.fetchPlans[ObjectIdentifier(field)]?.access ?? self.mutationPlans[ObjectIdentifier(field)]?.access
    }

    /// The GraphQL texts REST calls have needed, by shape (made once per schema).
    public let restQueryTexts = RestQueryTexts()
    /// The REST facade routes, from `@rest` on root fields.
    public let restRoutes: [RestRoute]

    /// Loads the schema from a `.graphql` file, or from every `.graphql` file of a folder
    /// (in name order). Every problem is reported at once as `file:line:column: message`.
    public convenience init(contentsOf path: String, services: [String], subgraphs: [SubgraphSDL] = []) throws {
        let files = try Self.files(at: path)
        var parts: [(name: String, text: String)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw GatewaySchemaError(messages: ["\(file): cannot read"])
            }
            parts.append((file, String(decoding: data, as: UTF8.self)))
        }
        try self.init(sdl: parts, services: services, subgraphs: subgraphs)
    }

    /// The schema files at `path`: the file, or every `.graphql` file of the folder in name order.
    public static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GatewaySchemaError(messages: ["\(path): no such file or folder"])
        }
        guard isDirectory.boolValue else { return [path] }
        return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".graphql") }.sorted()
            .map { (path as NSString).appendingPathComponent($0) }
    }

    /// Loads the schema from SDL texts (each with the name errors should give), checked against
    /// the SDL of each subgraph given (`@graphql` fields and the types they return).
    public init(sdl parts: [(name: String, text: String)], services: [String], subgraphs: [SubgraphSDL] = []) throws {
        let map = SourceMap(parts)
        self.version = String(SHA256Digest.hex(map.text).prefix(12))
        let source = Source(map.text, name: parts.first?.name ?? "schema.graphql")
        let document: Document
        do {
            document = try Parser.parse(source)
        } catch {
            throw GatewaySchemaError(messages: [map.describe(error.graphQLError(in: source))])
        }
        let schema: GraphQLSchema
        do {
            schema = try buildSchema(document, source: source)
        } catch let error as SchemaBuildError {
            throw GatewaySchemaError(messages: error.errors.map(map.describe))
        }
        var loader = SchemaDirectiveLoader(schema: schema, source: source, knownServices: Set(services))
        loader.load()
        var restLoader = RestRouteLoader(schema: schema, source: source)
        restLoader.load()
        var errors = loader.errors + restLoader.errors
        if errors.isEmpty, !subgraphs.isEmpty {
            var check = SubgraphSchemaCheck(
                schema: schema, source: source, plans: loader.fetchPlans, subgraphTypes: loader.subgraphTypes,
                subgraphs: Dictionary(subgraphs.map { ($0.service, $0) }, uniquingKeysWith: { _, last in last }))
            check.check()
            errors += check.errors
        }
        guard errors.isEmpty else { throw GatewaySchemaError(messages: errors.map(map.describe)) }
        let subgraphFields = SubgraphFields(plans: loader.fetchPlans, types: loader.subgraphTypes, schema: schema)
        for type in schema.types where type.kind == .object {
            let fromSubgraph = loader.subgraphTypes[type.name] != nil
            for field in type.fields {
                if let plan = loader.fetchPlans[ObjectIdentifier(field)] {
                    field.batchResolve = plan.subgraph != nil ? subgraphFields.resolver(for: plan) : FetchResolvers.resolver(for: plan)
                } else if let plan = loader.mutationPlans[ObjectIdentifier(field)] {
                    field.resolve = FetchResolvers.resolver(for: plan)
                } else if fromSubgraph {
                    // The subgraph answered the client's selection: values are under response keys.
                    if let access = loader.subgraphAccessRules[ObjectIdentifier(field)] {
                        field.resolve = subgraphFields.resolver(readingResponseKeyOf: field, access: access)
                    } else {
                        field.readsResponseKey = true
                    }
                }
            }
        }
        // The directives are compiled into resolvers; clients see neither them nor their definitions.
        schema.hideDirectives(["fetch", "mutate", "invalidates", "auth", "rest", "graphql", "event", "publishes"])
        self.schema = schema
        self.fetchPlans = loader.fetchPlans
        self.mutationPlans = loader.mutationPlans
        self.subscriptionPlans = loader.subscriptionPlans
        self.volatileFields = Set(loader.mutationPlans.values.flatMap { $0.invalidations.map(\.field) })
        self.restRoutes = restLoader.routes
        self.subgraphTypes = loader.subgraphTypes
        self.subgraphs = subgraphs
        self.subgraphServices = Set(loader.fetchPlans.values.compactMap { $0.subgraph == nil ? nil : $0.service })
        self.publicSDL = printSchema(schema) + "\n"
    }
}

extension GatewaySchema {
    /// What a subgraph's SDL change breaks in the gateway schema at `path`: the load errors
    /// against `new` that `old` did not give (`file:line:column: message`, naming the subgraph).
    public static func subgraphBreaks(schemaAt path: String, service: String, old: String, new: String) throws -> [String] {
        func problems(_ sdl: String) throws -> [String] {
            do {
                _ = try GatewaySchema(contentsOf: path, services: ServiceEndpoint.serviceNames, subgraphs: [try SubgraphSDL(service: service, text: sdl)])
                return []
            } catch let error as GatewaySchemaError {
                return error.messages
            }
        }
        let before = Set(try problems(old))
        return try problems(new).filter { !before.contains($0) }
    }
}

/// Schema problems found at load time, each as `file:line:column: message`.
public struct GatewaySchemaError: Error, CustomStringConvertible {
    public let messages: [String]
    public var description: String { self.messages.joined(separator: "\n") }
}

/// Several SDL files parsed as one text, with lines mapped back to their files for errors.
struct SourceMap {
    let text: String
    private let starts: [(line: Int, name: String)]

    init(_ parts: [(name: String, text: String)]) {
        var text = ""
        var starts: [(Int, String)] = []
        var line = 1
        for part in parts {
            starts.append((line, part.name))
            text += part.text
            if !part.text.hasSuffix("\n") { text += "\n" }
            line += part.text.split(separator: "\n", omittingEmptySubsequences: false).count - (part.text.hasSuffix("\n") ? 1 : 0)
        }
        self.text = text
        self.starts = starts
    }

    func describe(_ error: GraphQLError) -> String {
        guard let location = error.locations.first else { return "\(self.starts.first?.name ?? "schema"): \(error.message)" }
        let start = self.starts.last { $0.line <= location.line } ?? (1, "schema")
        return "\(start.name):\(location.line - start.line + 1):\(location.column): \(error.message)"
    }
}
