import Foundation
import GraphQLEngine
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One of the downstream services of the NileCare contract, served over `FixtureStore`: four REST
/// services and the insurance GraphQL subgraph (`InsuranceSubgraph`).
///
/// Batch endpoints take comma-separated keys (`?ids=1,2,3`, `?patientId=1,2,3`) and answer
/// `{"data": [...]}`; every service also answers `GET /__stats`, `POST /__stats/reset` and
/// `POST /__faults` (`{"latencyMs", "errorRate", "delayMs", "reverseBatches"}`).
public final class FixtureService: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case clinical, business, medication, lab, insurance
    }

    public let kind: Kind
    let store: FixtureStore
    let statistics = RequestStatistics()
    let faults: Mutex<FaultSettings>
    /// The insurance service's executable subgraph (`nil` for the REST services).
    let subgraph: InsuranceSubgraph?

    public init(kind: Kind, store: FixtureStore, faults: FaultSettings = FaultSettings()) throws {
        self.kind = kind
        self.store = store
        self.faults = Mutex(faults)
        self.subgraph = kind == .insurance ? try InsuranceSubgraph(sdl: store.insuranceSDL, store: store) : nil
    }

    public func setFaults(_ settings: FaultSettings) { self.faults.withLock { $0 = settings } }

    /// The gate requests wait at, if any (tests: a request held in flight).
    let gate = Mutex<RequestGate?>(nil)

    /// Holds this service's requests at a new gate until it is opened.
    public func hold() -> RequestGate {
        let gate = RequestGate()
        self.gate.withLock { $0 = gate }
        return gate
    }

    /// The router of this service.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        // Continues the caller's W3C trace: the fixture's own span joins the gateway's trace.
        router.add(middleware: TracingMiddleware())
        router.add(middleware: FaultMiddleware(service: self))
        router.get("/__stats") { _, _ in
            let counts = self.statistics.snapshot
            return jsonResponse(
                ["requests": .object(counts.mapValues { .int($0) }), "total": .int(counts.values.reduce(0, +))])
        }
        router.post("/__stats/reset") { _, _ in
            self.statistics.reset()
            return jsonResponse(["reset": true])
        }
        router.post("/__faults") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            guard let settings = try? JSONReader.parse(Array(buffer: body)) else { return errorResponse(.badRequest, "BAD_JSON", "invalid JSON") }
            var faults = FaultSettings()
            if case .int(let ms)? = settings["latencyMs"] { faults.latency = .milliseconds(ms) }
            if case .int(let ms)? = settings["delayMs"] { faults.delay = .milliseconds(ms) }
            if case .float(let rate)? = settings["errorRate"] { faults.errorRate = rate }
            if case .int(let rate)? = settings["errorRate"] { faults.errorRate = Double(rate) }
            if case .bool(let reverse)? = settings["reverseBatches"] { faults.reverseBatches = reverse }
            if case .string(let answer)? = settings["answer"] {
                guard let fault = FaultSettings.AnswerFault(rawValue: answer) else {
                    return errorResponse(.badRequest, "BAD_FAULT", "answer is one of \(FaultSettings.AnswerFault.allCases.map(\.rawValue)).")
                }
                faults.answer = fault
            }
            self.setFaults(faults)
            return jsonResponse(["ok": true])
        }
        switch self.kind {
        case .clinical:
            self.addCollection(router, path: "/api/v1/patients", collection: "patients", pageable: true, byPatient: false)
            router.post("/api/v1/patients") { request, _ in try await self.create(request, collection: "patients", validate: validatePatient) }
        case .business:
            self.addCollection(router, path: "/api/v1/appointments", collection: "appointments", pageable: false, byPatient: true)
            self.addCollection(router, path: "/api/v1/providers", collection: "providers", pageable: false, byPatient: false)
            router.post("/api/v1/appointments") { request, _ in
                try await self.create(request, collection: "appointments") { input in
                    validateAppointment(input, store: self.store)
                }
            }
        case .medication:
            self.addCollection(router, path: "/api/v1/medications", collection: "medications", pageable: false, byPatient: true)
        case .lab:
            self.addCollection(router, path: "/api/v1/lab-orders", collection: "lab-orders", pageable: false, byPatient: true)
        case .insurance:
            router.post("/graphql") { request, _ in
                var request = request
                let body = try await request.collectBody(upTo: 1024 * 1024)
                guard let subgraph = self.subgraph else { return errorResponse(.internalServerError, "NO_SCHEMA", "No subgraph schema.") }
                let (response, operation) = subgraph.answer(Array(buffer: body))
                self.statistics.record("POST /graphql \(operation)")
                return response
            }
        }
        return router
    }

    /// `GET path?ids=…` (and `?patientId=…`, and paging), `GET path/{id}`.
    private func addCollection(_ router: Router<BasicRequestContext>, path: String, collection: String, pageable: Bool, byPatient: Bool) {
        router.get(RouterPath(path)) { request, _ in
            let query = request.uri.queryParameters
            let reverse = self.faults.withLock { $0.reverseBatches }
            if let ids = query["ids"] {
                self.statistics.record("GET \(path)?ids")
                var rows = self.store.withCollection(collection) { $0.find(ids: splitKeys(ids)) }
                if reverse { rows.reverse() }
                return jsonResponse(["data": .list(rows)])
            }
            if byPatient, let patientIds = query["patientId"] {
                self.statistics.record("GET \(path)?patientId")
                var rows = self.store.withCollection(collection) { $0.find(patientIds: splitKeys(patientIds)) }
                if reverse { rows.reverse() }
                return jsonResponse(["data": .list(rows)])
            }
            self.statistics.record("GET \(path)")
            guard pageable else {
                return errorResponse(.badRequest, "MISSING_FILTER", "Give ids\(byPatient ? " or patientId" : "").")
            }
            let limit = min(max(Int(query["limit"].map(String.init) ?? "") ?? 20, 0), 100)
            let offset = max(Int(query["offset"].map(String.init) ?? "") ?? 0, 0)
            return self.store.withCollection(collection) { rows in
                let total = rows.rows.count
                let low = min(offset, total)
                let high = min(low + limit, total)
                return jsonResponse([
                    "data": .list(Array(rows.rows[low..<high])), "total": .int(total),
                    "page": .int(limit == 0 ? 1 : offset / limit + 1), "limit": .int(limit),
                    "pages": .int(limit == 0 ? 0 : (total + limit - 1) / limit),
                ])
            }
        }
        router.get(RouterPath("\(path)/:id")) { _, context in
            self.statistics.record("GET \(path)/{id}")
            let id = context.parameters.get("id") ?? ""
            guard let row = self.store.withCollection(collection, { $0.find(ids: [id]).first }) else {
                return errorResponse(.notFound, "NOT_FOUND", "No \(collection) with id \(id).")
            }
            return jsonResponse(["data": row])
        }
    }

    private func create(_ request: Request, collection: String, validate: (Value) -> String?) async throws -> Response {
        self.statistics.record("POST /api/v1/\(collection)")
        var request = request
        let body = try await request.collectBody(upTo: 1024 * 1024)
        guard let input = try? JSONReader.parse(Array(buffer: body)), case .object(var fields) = input else {
            return errorResponse(.badRequest, "VALIDATION_ERROR", "The body must be a JSON object.")
        }
        if let problem = validate(input) { return errorResponse(.badRequest, "VALIDATION_ERROR", problem) }
        let row: Value = self.store.withCollection(collection) { rows in
            fields["id"] = .string(rows.nextId)
            let row = Value.object(fields)
            rows.append(row)
            return row
        }
        return jsonResponse(["data": row], status: .created)
    }
}

/// Applies the service's faults before its routes, and counts nothing itself.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let service: FixtureService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/__") { return try await next(request, context) }
        if let gate = self.service.gate.withLock({ $0 }) { await gate.pass() }
        let faults = self.service.faults.withLock { $0 }
        let wait = faults.latency + faults.delay
        if wait > .zero { try await Task.sleep(for: wait) }
        if faults.errorRate > 0, Double.random(in: 0..<1) < faults.errorRate {
            // Counted too (`FAULT GET /path`): tests see every call that reached the service.
            self.service.statistics.record("FAULT \(request.method.rawValue) \(request.uri.path)")
            return errorResponse(.serviceUnavailable, "INJECTED_FAULT", "Injected failure.")
        }
        switch faults.answer {
        case .none: return try await next(request, context)
        case .garbage:
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "<html>Bad gateway</html>")))
        case .wrongShape: return jsonResponse(["data": ["unexpected": true]])
        case .notObjects: return jsonResponse(["data": [1, "x", .null]])
        case .leak:
            return errorResponse(.badRequest, "UNAUTHENTICATED", "java.sql.SQLException at db01.internal:5432 (user nilecare_rw)")
        case .graphQLErrors:
            return jsonResponse(["data": .null, "errors": [["message": "java.sql.SQLException at db01.internal:5432 (user nilecare_rw)"]]])
        case .hugeNumbers:
            let response = try await next(request, context)
            var body = response.body
            let collector = BodyCollector()
            try await body.write(collector)
            guard let answer = try? JSONReader.parse(Array(buffer: collector.buffer)), case .list(let rows)? = answer["data"] else { return response }
            let huge = Value.float(1e19)
            var broken: [Value] = rows.map { row in
                guard case .object(let fields) = row else { return row }
                return .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.key, ["id", "patientId"].contains($0.key) ? $0.value : huge) }))
            }
            broken.append(["id": huge, "patientId": huge, "name": huge])
            return jsonResponse(["data": .list(broken)], status: response.status)
        }
    }
}

/// Gathers a response body written to it (to rewrite a fixture's answer).
final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()
    func write(_ buffer: ByteBuffer) async throws { self.buffer.writeImmutableBuffer(buffer) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

func splitKeys(_ keys: Substring) -> [String] {
    keys.split(separator: ",").map { String($0).removingPercentEncoding ?? String($0) }
}

func jsonResponse(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
    var writer = JSONWriter(capacity: 1024)
    writer.value(value)
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
}

func errorResponse(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
    jsonResponse(["error": ["code": .string(code), "message": .string(message)]], status: status)
}
