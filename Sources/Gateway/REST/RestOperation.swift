import GraphQLEngine
import Synchronization

/// The GraphQL operation a REST call runs: `query Rest($id: ID!) { result: patient(id: $id) { … } }`.
struct RestOperation {
    let query: String
    let variables: [String: Value]

    static func build(_ route: RestRoute, _ request: RestRequest, texts: RestQueryTexts? = nil) -> Result<RestOperation, RestFailure> {
        var variables: [String: Value] = [:]
        var arguments: [GraphQLInputValue] = []
        for name in route.pathParameters {
            guard let argument = route.rootField.argument(name), let text = request.pathParameters[name] else {
                return .failure(.badRequest("Missing path parameter \(name)."))
            }
            switch self.value(text, argument) {
            case .success(let value): variables[name] = value
            case .failure(let failure): return .failure(failure)
            }
            arguments.append(argument)
        }
        var query = request.query
        // v2 pages by page number: offset = (page - 1) × limit.
        if request.version == .v2, route.isPage, let pageText = query["page"] {
            guard let page = Int32(pageText), page >= 1 else {
                return .failure(.badRequest("page must be a whole number from 1 to \(Int32.max)."))
            }
            let limit = Int32(query["limit"] ?? "").map(Int.init) ?? self.defaultInt("limit", route) ?? 20
            if let failure = self.checkBounds("limit", limit) { return .failure(failure) }
            // Both factors are 32-bit, so the product fits; an offset past Int32 is a 400, not a wrap.
            let offset = (Int(page) - 1) * limit
            guard offset <= Int(Int32.max) else { return .failure(.badRequest("page is past the last possible page.")) }
            query["offset"] = String(offset)
        }
        for argument in route.queryArguments {
            guard let text = query[argument.name] else { continue }
            switch self.value(text, argument) {
            case .success(let value): variables[argument.name] = value
            case .failure(let failure): return .failure(failure)
            }
            arguments.append(argument)
        }
        if route.method == .post, let input = route.rootField.argument("input") {
            guard let body = request.body, case .object = body else {
                return .failure(.badRequest("Send the new \(route.resultType.name) as a JSON object."))
            }
            variables["input"] = body
            arguments.append(input)
        }
        // The text depends on the route, the arguments given and the selection: made once per shape.
        let fields = request.version == .v2 ? request.query["fields"] : nil
        let shape = "\(route.method.rawValue) \(route.path) \(arguments.map(\.name).joined(separator: ",")) \(fields ?? "")"
        if let text = texts?.text(for: shape) { return .success(RestOperation(query: text, variables: variables)) }
        let selection: RestSelection
        if let fields {
            switch RestSelection.parse(fields, on: route.resultType) {
            case .success(let parsed): selection = parsed
            case .failure(let failure): return .failure(failure)
            }
        } else {
            selection = RestSelection.leaves(of: route.resultType)
        }
        let definitions = arguments.map { "$\($0.name): \($0.type)" }.joined(separator: ", ")
        let call = route.rootField.name + (arguments.isEmpty ? "" : "(" + arguments.map { "\($0.name): $\($0.name)" }.joined(separator: ", ") + ")")
        var body = route.isPage ? "data { \(selection.text) } total page limit pages" : selection.text
        if let nested = route.nestedField {
            body = "parent: \(call) { result: \(nested.name) { \(body) } }"
        } else {
            body = "result: \(call) { \(body) }"
        }
        let keyword = route.operation == .mutation ? "mutation" : "query"
        let text = "\(keyword) Rest\(definitions.isEmpty ? "" : "(\(definitions))") { \(body) }"
        texts?.store(text, for: shape)
        return .success(RestOperation(query: text, variables: variables))
    }

    /// A path or query parameter as the argument's type wants it; 400 when it is not one.
    static func value(_ text: String, _ argument: GraphQLInputValue) -> Result<Value, RestFailure> {
        let type = argument.type.namedType
        switch type.name {
        case "Int":
            guard let number = Int32(text) else { return .failure(.badRequest("\(argument.name) must be a whole number from \(Int32.min) to \(Int32.max), not \"\(text)\".")) }
            if let failure = self.checkBounds(argument.name, Int(number)) { return .failure(failure) }
            return .success(.int(Int(number)))
        case "Float":
            guard let number = Double(text), number.isFinite else { return .failure(.badRequest("\(argument.name) must be a number.")) }
            return .success(.float(number))
        case "Boolean":
            guard text == "true" || text == "false" else { return .failure(.badRequest("\(argument.name) must be true or false.")) }
            return .success(.bool(text == "true"))
        default:
            guard !text.isEmpty else { return .failure(.badRequest("\(argument.name) must not be empty.")) }
            return .success(.string(text))
        }
    }

    /// Paging parameters: `limit` 1–100, `offset` from 0.
    static func checkBounds(_ name: String, _ value: Int) -> RestFailure? {
        switch name {
        case "limit" where !(1...100).contains(value): .badRequest("limit must be between 1 and 100.")
        case "offset" where value < 0: .badRequest("offset must not be negative.")
        default: nil
        }
    }

    static func defaultInt(_ name: String, _ route: RestRoute) -> Int? {
        guard let literal = route.rootField.argument(name)?.defaultValue, case .int(let text) = literal.kind else { return nil }
        return Int(text)
    }
}

/// The GraphQL texts of REST calls by shape (route, arguments given, fields), for one schema.
public final class RestQueryTexts: Sendable {
    private let texts = Mutex<[String: String]>([:])

    public init() {}

    func text(for shape: String) -> String? { self.texts.withLock { $0[shape] } }

    func store(_ text: String, for shape: String) {
        self.texts.withLock { texts in
            if texts.count >= 1_000 { texts.removeAll(keepingCapacity: true) }  // `fields` is client-chosen: bounded
            texts[shape] = text
        }
    }
}
