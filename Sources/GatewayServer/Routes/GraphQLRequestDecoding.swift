import Gateway
import GraphQLEngine

/// A GraphQL-over-HTTP request's parameters, decoded from a JSON body or a URL query.
struct GraphQLHTTPParameters {
    /// The query; absent only when `extensions.persistedQuery` stands for it.
    var query: String?
    var operationName: String?
    var variables: [String: Value]
    var extensions: [String: Value]
    /// A trusted document's id (GraphQL over HTTP's persisted documents: `documentId`).
    var documentID: String?

    /// Why parameters are unusable: the message of a 400.
    struct Invalid: Error {
        let message: String
    }

    /// From a POSTed JSON object.
    init(json body: [UInt8]) throws(Invalid) {
        guard String(validating: body, as: UTF8.self) != nil else {
            throw Invalid(message: "The request body is not valid UTF-8.")
        }
        let value: Value
        do {
            value = try JSONReader.parse(body, maxDepth: 256)
        } catch {
            throw Invalid(message: "The request body is not valid JSON: \(error.message) at byte \(error.offset).")
        }
        guard case .object(let object) = value else { throw Invalid(message: "The request body must be a JSON object.") }
        try self.init(
            query: object["query"], operationName: object["operationName"], variables: object["variables"],
            extensions: object["extensions"], documentID: object["documentId"])
    }

    /// From URL query parameters (`variables` and `extensions` as JSON text).
    init(query: [String: String]) throws(Invalid) {
        func json(_ name: String) throws(Invalid) -> Value? {
            guard let text = query[name], !text.isEmpty else { return nil }
            do {
                return try JSONReader.parse(Array(text.utf8), maxDepth: 256)
            } catch {
                throw Invalid(message: "The \(name) parameter is not valid JSON: \(error.message) at byte \(error.offset).")
            }
        }
        let operationName = query["operationName"].flatMap { $0.isEmpty ? nil : Value.string($0) }
        try self.init(
            query: query["query"].map(Value.string), operationName: operationName, variables: try json("variables"),
            extensions: try json("extensions"), documentID: query["documentId"].map(Value.string))
    }

    private init(query: Value?, operationName: Value?, variables: Value?, extensions: Value?, documentID: Value?) throws(Invalid) {
        switch documentID {
        case nil, .null?: self.documentID = nil
        case .string(let id)? where !id.isEmpty && id.utf8.count <= 256: self.documentID = id
        default: throw Invalid(message: "The documentId must be a string of at most 256 bytes.")
        }
        switch query {
        case .string(let text)?: self.query = text
        case nil, .null?: self.query = nil
        default: throw Invalid(message: "The query must be a string.")
        }
        switch operationName {
        case nil, .null?: self.operationName = nil
        case .string(let name)?: self.operationName = name
        default: throw Invalid(message: "The operationName must be a string.")
        }
        switch variables {
        case nil, .null?: self.variables = [:]
        case .object(let map)?: self.variables = map.dictionary
        default: throw Invalid(message: "The variables must be a JSON object.")
        }
        switch extensions {
        case nil, .null?: self.extensions = [:]
        case .object(let map)?: self.extensions = map.dictionary
        default: throw Invalid(message: "The extensions must be a JSON object.")
        }
        if self.query == nil && self.extensions["persistedQuery"] == nil && self.documentID == nil { throw Invalid(message: "Missing query.") }
    }
}
