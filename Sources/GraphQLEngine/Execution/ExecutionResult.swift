import Synchronization

/// The result of executing a request: `data` (absent for request errors) and field errors.
public struct ExecutionResult: @unchecked Sendable {
    public var errors: [GraphQLError]
    /// Whether the response has a `data` entry (false for request errors).
    public let hasData: Bool
    private let tree: ResultTree?
    private let plans: [ObjectPlan]
    private let dataIsNull: Bool

    init(errors: [GraphQLError], state: ExecutionState?) {
        self.errors = errors
        self.hasData = true
        self.tree = state?.result
        // Every execution's result is made here: its size is what the plan's next tree reserves.
        if let state {
            state.compiled.resultNodesHint.store(state.result.nodes.count, ordering: .relaxed)
            state.compiled.resultLeavesHint.store(state.result.leaves.count, ordering: .relaxed)
        }
        self.plans = state?.plans ?? []
        self.dataIsNull = state?.dataIsNull ?? true
    }

    /// A result made of request errors only: no `data` entry.
    public init(requestErrors: [GraphQLError]) {
        self.errors = requestErrors
        self.hasData = false
        self.tree = nil
        self.plans = []
        self.dataIsNull = true
    }

    /// The `data` entry as a value (`nil` when absent, `.null` when null).
    public var data: Value? {
        guard self.hasData else { return nil }
        guard let tree, !self.dataIsNull else { return .null }
        return tree.value(0, plans: self.plans)
    }

    /// Writes the `data` entry's JSON (`null` when null).
    public func writeData(to writer: inout JSONWriter) {
        guard let tree, !self.dataIsNull else {
            writer.raw("null")
            return
        }
        tree.write(0, plans: self.plans, to: &writer)
    }

    /// What `data` holds at a path of response keys (`["result"]`, `["parent", "result"]`).
    public enum Entry: Equatable {
        case absent
        case null
        case list(count: Int)
        case other
    }

    /// The entry at `path` under `data`, read from the result tree (no values built).
    public func entry(at path: [String]) -> Entry {
        guard let tree, let index = self.node(at: path) else { return .absent }
        switch tree.nodes[index].kind {
        case .null, .pending: return .null
        case .list: return .list(count: Int(tree.nodes[index].childCount))
        case .leaf, .object: return .other
        }
    }

    /// Writes the JSON of the entry at `path` under `data` (`null` when absent), keys in query order.
    public func writeData(at path: [String], to writer: inout JSONWriter) {
        guard let tree, let index = self.node(at: path) else {
            writer.raw("null")
            return
        }
        tree.write(index, plans: self.plans, to: &writer)
    }

    private func node(at path: [String]) -> Int? {
        guard self.hasData, !self.dataIsNull, let tree else { return nil }
        var index = 0
        for key in path {
            let node = tree.nodes[index]
            guard node.kind == .object, let offset = self.plans[Int(node.plan)].keys.firstIndex(of: key), offset < Int(node.childCount) else {
                return nil
            }
            index = Int(node.childStart) + offset
        }
        return index
    }

    /// Room for the response's JSON: about 16 bytes per result position (the 50-patient response
    /// takes 14.6), so a writer of this capacity rarely grows (each growth copied all written so far).
    public var jsonCapacityEstimate: Int { max(1024, (self.tree?.nodes.count ?? 0) * 16 + 256) }

    /// The whole response as JSON: `errors` (when any), `data` (when present), `extensions`.
    public func jsonBytes(extensions: Value? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: self.jsonCapacityEstimate)
        self.write(to: &writer, extensions: extensions)
        return writer.bytes
    }

    public func write(to writer: inout JSONWriter, extensions: Value? = nil) {
        writer.byte(0x7B)
        var needsComma = false
        if !self.errors.isEmpty {
            writer.raw("\"errors\":")
            writeErrors(self.errors, to: &writer)
            needsComma = true
        }
        if self.hasData {
            if needsComma { writer.byte(0x2C) }
            writer.raw("\"data\":")
            self.writeData(to: &writer)
            needsComma = true
        }
        if let extensions {
            if needsComma { writer.byte(0x2C) }
            writer.raw("\"extensions\":")
            writer.value(extensions)
        }
        writer.byte(0x7D)
    }
}

/// `{"errors": [...]}` alone: what validation-only answers (the CLI's `validate`, the explorer's
/// live check) print.
public func errorsDocument(_ errors: [GraphQLError]) -> [UInt8] {
    var writer = JSONWriter()
    writer.raw("{\"errors\":")
    writeErrors(errors, to: &writer)
    writer.byte(0x7D)
    return writer.bytes
}

/// Writes errors as the spec's `errors` list: message, locations, path, extensions.
public func writeErrors(_ errors: [GraphQLError], to writer: inout JSONWriter) {
    writer.byte(0x5B)
    for (index, error) in errors.enumerated() {
        if index > 0 { writer.byte(0x2C) }
        writer.raw("{\"message\":")
        writer.string(error.message)
        if !error.locations.isEmpty {
            writer.raw(",\"locations\":[")
            for (i, location) in error.locations.enumerated() {
                if i > 0 { writer.byte(0x2C) }
                writer.raw("{\"line\":")
                writer.int(location.line)
                writer.raw(",\"column\":")
                writer.int(location.column)
                writer.byte(0x7D)
            }
            writer.byte(0x5D)
        }
        if let path = error.path {
            writer.raw(",\"path\":")
            writePath(path, to: &writer)
        }
        if !error.extensions.isEmpty {
            writer.raw(",\"extensions\":")
            writer.value(.object(error.extensions))
        }
        writer.byte(0x7D)
    }
    writer.byte(0x5D)
}

/// Writes a response path as the JSON list the spec's `path` entries are: `["patients",0,"id"]`.
public func writePath(_ path: [PathComponent], to writer: inout JSONWriter) {
    writer.byte(0x5B)
    for (index, component) in path.enumerated() {
        if index > 0 { writer.byte(0x2C) }
        switch component {
        case .key(let key): writer.string(key)
        case .index(let position): writer.int(position)
        }
    }
    writer.byte(0x5D)
}
