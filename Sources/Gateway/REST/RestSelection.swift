import GraphQLEngine

/// The fields a REST response holds: by default the type's scalar and enum fields; with v2's
/// `?fields=id,firstName,appointments.date`, those (nested with dots), checked against the schema.
struct RestSelection: Equatable {
    /// Field names in order, each with its sub-selection (empty for leaves).
    private(set) var fields: [(name: String, selection: RestSelection)] = []

    static func == (lhs: RestSelection, rhs: RestSelection) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && zip(lhs.fields, rhs.fields).allSatisfy { $0.selection == $1.selection }
    }

    /// The scalar and enum fields of `type` that take no required argument.
    static func leaves(of type: GraphQLNamedType) -> RestSelection {
        var selection = RestSelection()
        for field in type.fields where field.type.namedType.isLeaf && !field.name.hasPrefix("__") && !Self.needsArguments(field) {
            selection.fields.append((field.name, RestSelection()))
        }
        return selection
    }

    /// Parses `id,firstName,appointments.date`; the error names the first unknown field.
    static func parse(_ list: String, on type: GraphQLNamedType) -> Result<RestSelection, RestFailure> {
        var selection = RestSelection()
        for path in list.split(separator: ",", omittingEmptySubsequences: true) {
            let names = path.split(separator: ".", omittingEmptySubsequences: false).map { $0.trimmingSpacesAndTabs }
            if let failure = selection.add(names[...], on: type) { return .failure(failure) }
        }
        if selection.fields.isEmpty { return .failure(.badRequest("The fields parameter names no field.")) }
        return .success(selection)
    }

    private mutating func add(_ names: ArraySlice<String>, on type: GraphQLNamedType) -> RestFailure? {
        guard let name = names.first else { return nil }
        guard !name.isEmpty, !name.hasPrefix("__"), let field = type.field(name), !Self.needsArguments(field) else {
            return .badRequest("Unknown field \"\(name)\" on \(type.name); known fields: \(Self.selectable(type).joined(separator: ", ")).")
        }
        let fieldType = field.type.namedType
        let index = self.fields.firstIndex { $0.name == name } ?? {
            self.fields.append((name, RestSelection()))
            return self.fields.count - 1
        }()
        if fieldType.isLeaf {
            return names.count > 1 ? .badRequest("\(type.name).\(name) has no fields to select.") : nil
        }
        if names.count == 1 {
            if self.fields[index].selection.fields.isEmpty { self.fields[index].selection = Self.leaves(of: fieldType) }
            return nil
        }
        return self.fields[index].selection.add(names.dropFirst(), on: fieldType)
    }

    /// GraphQL selection text: `id firstName appointments { date }`.
    var text: String {
        self.fields.map { $0.selection.fields.isEmpty ? $0.name : "\($0.name) { \($0.selection.text) }" }.joined(separator: " ")
    }

    private static func needsArguments(_ field: GraphQLField) -> Bool {
        field.arguments.contains { $0.type.isNonNull && $0.defaultValue == nil }
    }

    private static func selectable(_ type: GraphQLNamedType) -> [String] {
        type.fields.filter { !$0.name.hasPrefix("__") && !self.needsArguments($0) }.map(\.name)
    }
}
