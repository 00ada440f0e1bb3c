import GraphQLEngine

/// A subgraph's SDL as its authors wrote it (Federation directives, `extend type`, no
/// definitions for `@key`), read into what the gateway checks its schema against: each type's
/// fields with their types and arguments, its `@key`s, and enum values.
public struct SubgraphSDL: Sendable {
    struct Field: Sendable {
        let type: TypeReference
        let arguments: [String: InputValueDefinition]
    }

    struct TypeEntry: Sendable {
        var kind: TypeDefinitionKind
        var fields: [String: Field] = [:]
        /// Each `@key(fields:)` as its field names (nested selections are not supported).
        var keys: [Set<String>] = []
        var values: Set<String> = []
    }

    /// The service whose SDL it is.
    public let service: String
    private(set) var types: [String: TypeEntry] = [:]

    /// Parses `text`; an SDL that does not parse is an error naming the subgraph.
    public init(service: String, text: String) throws {
        self.service = service
        let document: Document
        do {
            document = try Parser.parse(Source(text, name: "\(service) subgraph SDL"))
        } catch {
            throw GatewaySchemaError(messages: ["the \(service) subgraph's SDL does not parse: \(error)"])
        }
        for definition in document.definitions {
            guard case .type(let node) = definition else { continue }
            var entry = self.types[node.name.value] ?? TypeEntry(kind: node.kind)
            for field in node.fields {
                entry.fields[field.name.value] = Field(
                    type: field.type, arguments: Dictionary(field.arguments.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first }))
            }
            for value in node.values { entry.values.insert(value.name.value) }
            for directive in node.directives where directive.name.value == "key" {
                guard let argument = directive.arguments.first(where: { $0.name.value == "fields" }),
                    case .string(let fields, _) = argument.value.kind
                else { continue }
                entry.keys.append(Set(fields.split(separator: " ").map(String.init)))
            }
            self.types[node.name.value] = entry
        }
    }

    func type(_ name: String) -> TypeEntry? { self.types[name] }
}
