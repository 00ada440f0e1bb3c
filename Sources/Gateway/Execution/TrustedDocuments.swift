import GraphQLEngine
import Synchronization

/// The operations a gateway accepts when it runs only trusted documents: a manifest of operation
/// bodies by id (their SHA-256), read from Apollo's persisted query list
/// (`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "name",
/// "type", "body"}]}`) or a plain `{"<sha256>": "<document>"}` map. Reloadable (`--watch`).
public final class TrustedDocuments: Sendable {
    public struct Operation: Sendable, Equatable {
        /// Its manifest id (the SHA-256 of the body unless the manifest named it otherwise).
        public let id: String
        public let name: String?
        public let body: String
    }

    public struct ManifestError: Error, CustomStringConvertible {
        public let description: String
    }

    private let operations = Mutex<[String: Operation]>([:])

    public init(manifest: [UInt8]) throws(ManifestError) {
        try self.reload(manifest: manifest)
    }

    /// Replaces the manifest; a manifest that does not read leaves the current one in force.
    public func reload(manifest: [UInt8]) throws(ManifestError) {
        let parsed = try Self.parse(manifest)
        self.operations.withLock { $0 = parsed }
    }

    /// The id of a document: the SHA-256 of its text, as lowercase hex (what APQ clients send too).
    public static func id(of body: String) -> String { SHA256Digest.hex(body) }

    /// Distinct documents in the manifest.
    public var count: Int { self.operations.withLock { Set($0.values.map(\.body)).count } }

    /// The operation with this id: its manifest id, or the SHA-256 of its body (an APQ hash).
    public func operation(id: String) -> Operation? {
        self.operations.withLock { $0[id] ?? $0[id.lowercased()] }
    }

    /// The manifest's operation whose body is exactly `text` (a client sending the full text of a
    /// trusted operation).
    public func operation(text: String) -> Operation? {
        self.operation(id: SHA256Digest.hex(text))
    }

    static func parse(_ bytes: [UInt8]) throws(ManifestError) -> [String: Operation] {
        let value: Value
        do {
            value = try JSONReader.parse(bytes, maxDepth: 16)
        } catch {
            throw ManifestError(description: "the manifest is not JSON")
        }
        guard case .object(let fields) = value else { throw ManifestError(description: "the manifest is not a JSON object") }
        var operations: [String: Operation] = [:]
        if case .list(let list)? = fields["operations"] {
            guard fields["format"]?.stringValue == "apollo-persisted-query-manifest" else {
                throw ManifestError(description: "an operations list needs \"format\": \"apollo-persisted-query-manifest\"")
            }
            for item in list {
                guard let body = item["body"]?.stringValue else { throw ManifestError(description: "an operation without a body") }
                try Self.add(Operation(id: SHA256Digest.hex(body), name: item["name"]?.stringValue, body: body), declaredID: item["id"]?.stringValue, to: &operations)
            }
        } else {
            for (id, body) in fields.sorted(by: { $0.key < $1.key }) {
                guard let body = body.stringValue else { throw ManifestError(description: "the entry \(id) is not a document") }
                try Self.add(Operation(id: SHA256Digest.hex(body), name: nil, body: body), declaredID: id, to: &operations)
            }
        }
        return operations
    }

    /// Kept under its manifest id and under its body's SHA-256 (what APQ clients send).
    private static func add(_ operation: Operation, declaredID: String?, to operations: inout [String: Operation]) throws(ManifestError) {
        let named = Operation(id: declaredID ?? operation.id, name: operation.name, body: operation.body)
        if let existing = operations[named.id], existing.body != named.body {
            throw ManifestError(description: "the id \(named.id) stands for two different documents")
        }
        operations[named.id] = named
        operations[operation.id] = operations[operation.id] ?? named
    }
}
