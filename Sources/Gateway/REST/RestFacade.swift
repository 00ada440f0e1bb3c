import Foundation
import Synchronization
import GraphQLEngine

/// The REST API versions: v1 (`{success, data, count}`, deprecated) and v2 (paging and meta).
public enum RestVersion: String, Sendable, CaseIterable {
    case v1, v2
}

/// One REST call, as the HTTP layer hands it over.
public struct RestRequest: Sendable {
    public var version: RestVersion
    public var pathParameters: [String: String]
    public var query: [String: String]
    /// The JSON body of a POST (the mutation's `input`).
    public var body: Value?
    public var headers: ForwardedHeaders
    public var principal: Principal
    /// The client's address, for per-address rate limits.
    public var clientAddress: String?

    public init(
        version: RestVersion, pathParameters: [String: String] = [:], query: [String: String] = [:], body: Value? = nil,
        headers: ForwardedHeaders = .init(), principal: Principal = .anonymous, clientAddress: String? = nil
    ) {
        self.clientAddress = clientAddress
        self.version = version
        self.pathParameters = pathParameters
        self.query = query
        self.body = body
        self.headers = headers
        self.principal = principal
    }
}

/// A REST answer: status and JSON body (an envelope, or the error envelope).
public struct RestResult: Sendable {
    public let status: Int
    public let body: [UInt8]
    /// The GraphQL response behind it (receipt, cache policy); `nil` when refused before running.
    public let response: GatewayResponse?
}

/// Runs REST routes as GraphQL operations on the gateway's executor: same loaders, cache, auth.
public struct RestFacade: Sendable {
    public let executor: GatewayExecutor
    public var now: @Sendable () -> Date = { Date() }
    /// The last second formatted, shared by every facade.
    private static let timestamps = Mutex<(second: Int64, text: String)>((-1, ""))

    public init(executor: GatewayExecutor) {
        self.executor = executor
    }

    public var routes: [RestRoute] { self.executor.gatewaySchema.restRoutes }

    public func handle(_ route: RestRoute, _ request: RestRequest) async -> RestResult {
        // Who may call comes before what they sent: 401 / 403 whatever the parameters.
        if let refused = self.executor.gatewaySchema.accessRule(of: route.rootField)?
            .roleDenial(for: request.principal, coordinate: "\(route.method.rawValue) \(route.path)")
        {
            return Self.failure(.from(GraphQLErrorSummary(refused)), nil)
        }
        let operation: RestOperation
        switch RestOperation.build(route, request, texts: self.executor.gatewaySchema.restQueryTexts) {
        case .success(let built): operation = built
        case .failure(let failure): return Self.failure(failure, nil)
        }
        let response = await self.executor.execute(
            GatewayRequest(
                query: operation.query, operationName: "Rest", variables: operation.variables, headers: request.headers,
                principal: request.principal, clientAddress: request.clientAddress))
        let status = route.method == .post ? 201 : 200
        if !route.isPage {
            // Written straight from the result tree: no values built for the data.
            switch self.entry(of: response, route, request) {
            case .success(let (path, entry)): return RestResult(status: status, body: self.envelope(response.result, at: path, entry, request), response: response)
            case .failure(let failure): return Self.failure(failure, response)
            }
        }
        switch self.result(of: response, route, request) {
        case .success(let data): return RestResult(status: status, body: self.envelope(data, route, request), response: response)
        case .failure(let failure): return Self.failure(failure, response)
        }
    }

    /// Where the route's data is in the result, and what is there; or why there is none.
    private func entry(of response: GatewayResponse, _ route: RestRoute, _ request: RestRequest) -> Result<([String], ExecutionResult.Entry), RestFailure> {
        if let first = response.result.errors.first { return .failure(.from(GraphQLErrorSummary(first))) }
        let path = route.nestedField == nil ? ["result"] : ["parent", "result"]
        if route.nestedField != nil, [.absent, .null].contains(response.result.entry(at: ["parent"])) { return .failure(self.notFound(route, request)) }
        let entry = response.result.entry(at: path)
        guard entry != .absent, entry != .null else { return .failure(self.notFound(route, request)) }
        return .success((path, entry))
    }

    /// The envelope of an object or list route, its data written from the result tree.
    private func envelope(_ result: ExecutionResult, at path: [String], _ entry: ExecutionResult.Entry, _ request: RestRequest) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{\"success\":true,\"data\":")
        result.writeData(at: path, to: &writer)
        let count: Int? = if case .list(let count) = entry { count } else { nil }
        switch request.version {
        case .v1:
            writer.raw(",\"count\":")
            writer.int(count ?? 1)
        case .v2:
            if let count {
                writer.raw(",\"pagination\":")
                writer.value(["total": .int(count), "page": 1, "limit": .int(count), "pages": .int(count == 0 ? 0 : 1)])
            }
            writer.raw(",\"meta\":{\"version\":\"v2\",\"timestamp\":")
            writer.string(self.timestamp())
            writer.byte(0x7D)
        }
        writer.byte(0x7D)
        return writer.bytes
    }

    /// The current time as ISO 8601, formatted once per second (a formatter per response showed in profiles).
    private func timestamp() -> String {
        let now = self.now()
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        if let cached = Self.timestamps.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        let text = now.formatted(.iso8601)
        Self.timestamps.withLock { $0 = (second, text) }
        return text
    }

    /// The data the route returns, or why there is none.
    private func result(of response: GatewayResponse, _ route: RestRoute, _ request: RestRequest) -> Result<Value, RestFailure> {
        let errors = response.result.errors.map(GraphQLErrorSummary.init)
        if let first = errors.first { return .failure(.from(first)) }
        var value = response.result.data?["result"] ?? .null
        if route.nestedField != nil {
            guard let parent = response.result.data?["parent"], parent != .null else { return .failure(self.notFound(route, request)) }
            value = parent["result"] ?? .null
        }
        guard value != .null else { return .failure(self.notFound(route, request)) }
        return .success(value)
    }

    private func notFound(_ route: RestRoute, _ request: RestRequest) -> RestFailure {
        let type = route.nestedField == nil ? route.resultType.name : route.rootField.type.namedType.name
        let keys = route.pathParameters.map { "\($0) \(request.pathParameters[$0] ?? "")" }.joined(separator: ", ")
        return .notFound("No \(type) with \(keys).")
    }

    private func envelope(_ data: Value, _ route: RestRoute, _ request: RestRequest) -> [UInt8] {
        var items = data
        var pagination: Value?
        if route.isPage {
            items = data["data"] ?? .list([])
            pagination = ["total": data["total"] ?? .null, "page": data["page"] ?? .null, "limit": data["limit"] ?? .null, "pages": data["pages"] ?? .null]
        } else if case .list(let list) = data {
            pagination = ["total": .int(list.count), "page": 1, "limit": .int(list.count), "pages": .int(list.isEmpty ? 0 : 1)]
        }
        var object: [String: Value] = ["success": true, "data": items]
        switch request.version {
        case .v1:
            if case .list(let list) = items { object["count"] = .int(list.count) } else { object["count"] = 1 }
        case .v2:
            if let pagination { object["pagination"] = pagination }
            object["meta"] = ["version": "v2", "timestamp": .string(self.timestamp())]
        }
        var writer = JSONWriter(capacity: 1024)
        writer.value(.object(object))
        return writer.bytes
    }

    /// An error answer (`{"success": false, "error": …}`) with the failure's status.
    public static func failure(_ failure: RestFailure, _ response: GatewayResponse?) -> RestResult {
        RestResult(status: failure.status, body: self.errorBody(failure), response: response)
    }

    /// `{"success": false, "error": {"code", "message"}}`.
    public static func errorBody(_ failure: RestFailure) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.value(["success": false, "error": ["code": .string(failure.code), "message": .string(failure.message)]])
        return writer.bytes
    }
}
