import AsyncHTTPClient
import FixtureServices
import Foundation
import Gateway
import GatewayServer
import GraphQLEngine
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// `@defer` over HTTP: `multipart/mixed` parts in graphql-js 17's format or Apollo's
/// `deferSpec=20220824`, the first part before any deferred work, batching inside the deferred part.
@Suite("GatewayServer: @defer as multipart/mixed", .timeLimit(.minutes(2)))
struct DeferRouteTests {
    static let query = #"{ patients(limit: 5) { id firstName ... @defer(label: "meds") { medications { name } } } }"#

    /// The JSON parts of a multipart/mixed body with boundary "-".
    static func parts(_ body: String) throws -> [Value] {
        #expect(body.hasSuffix("\r\n-----\r\n"))
        let trimmed = body.replacingOccurrences(of: "\r\n-----\r\n", with: "")
        return try trimmed.components(separatedBy: "\r\n---\r\n").filter { !$0.isEmpty }.map { part in
            let pieces = part.components(separatedBy: "\r\n\r\n")
            #expect(pieces.first == "Content-Type: application/json; charset=utf-8")
            return try JSONReader.parse(Array((pieces.dropFirst().joined(separator: "\r\n\r\n")).utf8))
        }
    }

    private func post(_ client: any TestClientProtocol, _ query: String, accept: String) async throws -> (String?, String) {
        try await client.execute(
            uri: "/graphql", method: .post,
            headers: [.contentType: "application/json", .accept: accept, .authorization: try await TestAuth.bearer()],
            body: ByteBuffer(string: #"{"query":"\#(query.replacingOccurrences(of: "\"", with: "\\\""))"}"#)
        ) { response in (response.headers[.contentType], String(buffer: response.body)) }
    }

    @Test("graphql-js 17's format: pending with ids, paths and labels, then incremental data and completed ids")
    func graphQLJSFormat() async throws {
        try await withGateway { fixtures, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in
                let (type, body) = try await self.post(client, Self.query, accept: "multipart/mixed, application/json")
                #expect(type == #"multipart/mixed; boundary="-""#)
                let parts = try Self.parts(body)
                #expect(parts.count == 2)
                guard case .list(let patients)? = parts.first?["data"]?["patients"], case .list(let pending)? = parts.first?["pending"] else {
                    Issue.record("no initial payload: \(body)")
                    return
                }
                #expect(patients.count == 5 && patients.allSatisfy { $0["medications"] == nil && $0["firstName"] != nil })
                #expect(pending.map { $0["label"] } == Array(repeating: "meds", count: 5))
                #expect(pending.map { $0["path"] } == (0..<5).map { ["patients", .int($0)] })
                #expect(parts.first?["hasNext"] == true)
                guard case .list(let incremental)? = parts.last?["incremental"], case .list(let completed)? = parts.last?["completed"] else {
                    Issue.record("no subsequent payload: \(body)")
                    return
                }
                #expect(incremental.map { $0["id"] } == pending.map { $0["id"] })
                #expect(incremental.allSatisfy { $0["data"]?["medications"] != nil })
                #expect(completed.map { $0["id"] } == pending.map { $0["id"] })
                #expect(parts.last?["hasNext"] == false)
                // The five patients' medications: one call, batched inside the deferred part.
                let medication = try await fixtures.stats(.medication)
                #expect(medication == ["GET /api/v1/medications?patientId": 1])
            }
        }
    }

    @Test("Apollo's deferSpec=20220824: incremental entries with path and label; clients without multipart get everything at once")
    func apolloFormatAndPlainClients() async throws {
        try await withGateway { _, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in
                let query = #"{ patient(id: "3") { id ... @defer(label: "insured") { coverage { payer } medications { name } } } }"#
                let (type, body) = try await self.post(client, query, accept: "multipart/mixed;deferSpec=20220824, application/json")
                #expect(type == #"multipart/mixed; boundary="-"; deferSpec=20220824"#)
                let parts = try Self.parts(body)
                #expect(parts.first == ["data": ["patient": ["id": "3"]], "hasNext": true])
                guard case .list(let incremental)? = parts.last?["incremental"], let entry = incremental.first else {
                    Issue.record("no subsequent payload: \(body)")
                    return
                }
                #expect(entry["path"] == ["patient"] && entry["label"] == "insured")
                #expect(entry["data"]?["coverage"] != nil && entry["data"]?["medications"] != nil)
                #expect(parts.last?["hasNext"] == false)
                // The same document from a client that does not accept multipart: one JSON response.
                let (plainType, plain) = try await self.post(client, query, accept: "application/graphql-response+json")
                #expect(plainType?.hasPrefix("application/graphql-response+json") == true)
                let whole = try JSONReader.parse(Array(plain.utf8))
                #expect(whole["data"]?["patient"]?["coverage"] == entry["data"]?["coverage"])
                #expect(whole["data"]?["patient"]?["medications"] == entry["data"]?["medications"])
            }
        }
    }

    @Test("a fragment deferred inside a subgraph's objects: the subgraph is asked once, the gateway delivers the fragment later")
    func deferInsideSubgraphSelection() async throws {
        try await withGateway { fixtures, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in
                let query = #"{ patient(id: "3") { id coverage { payer ... @defer(label: "c") { claims { id } patient { lastName } } } } }"#
                let (_, body) = try await self.post(client, query, accept: "multipart/mixed")
                let parts = try Self.parts(body)
                guard case .list(let coverage)? = parts.first?["data"]?["patient"]?["coverage"] else {
                    Issue.record("no coverage: \(body)")
                    return
                }
                #expect(coverage.count == 1 && coverage[0]["payer"] != nil && coverage[0]["claims"] == nil)
                guard case .list(let incremental)? = parts.last?["incremental"], let entry = incremental.first else {
                    Issue.record("no subsequent payload: \(body)")
                    return
                }
                #expect(entry["data"]?["patient"]?["lastName"] != nil && entry["data"]?["claims"] != nil)
                let insurance = try await fixtures.stats(.insurance)
                #expect(insurance == ["POST /graphql _entities": 1])
            }
        }
    }

    @Test("@stream: the first items with the list, the rest as items (graphql-js) or items at their path (Apollo), batched")
    func streamedList() async throws {
        try await withGateway { fixtures, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in
                let query = #"{ patients(limit: 6) @stream(initialCount: 2) { id appointments { id patientId } } }"#
                let (_, body) = try await self.post(client, query, accept: "multipart/mixed")
                let parts = try Self.parts(body)
                #expect(parts.first?["data"]?["patients"]?.listCount == 2)
                #expect(parts.first?["pending"] == [["id": "0", "path": ["patients"]]])
                guard case .list(let incremental)? = parts.last?["incremental"], case .list(let items)? = incremental.first?["items"] else {
                    Issue.record("no streamed items: \(body)")
                    return
                }
                #expect(items.map { $0["id"] } == ["3", "4", "5", "6"])
                #expect(items.allSatisfy { item in
                    guard case .list(let appointments)? = item["appointments"] else { return false }
                    return appointments.allSatisfy { $0["patientId"] == item["id"] }
                })
                // The first part's patients and the streamed ones: one appointments call each.
                let business = try await fixtures.stats(.business)
                #expect(business == ["GET /api/v1/appointments?patientId": 2])
                let (_, apollo) = try await self.post(client, #"{ patients(limit: 3) @stream(initialCount: 2) { id } }"#, accept: "multipart/mixed;deferSpec=20220824")
                let apolloParts = try Self.parts(apollo)
                #expect(apolloParts.last == ["incremental": [["items": [["id": "3"]], "path": ["patients", 2]]], "hasNext": false])
            }
        }
    }

    @Test("a deferred part's failure is reported in it (codes and paths); the initial part stands")
    func failureInDeferredPart() async throws {
        try await withGateway(down: [.medication]) { _, executor in
            let app = Application(router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()))
            try await app.test(.router) { client in
                let (_, body) = try await self.post(client, #"{ patient(id: "3") { id ... @defer { medications { name } } } }"#, accept: "multipart/mixed")
                let parts = try Self.parts(body)
                #expect(parts.first?["data"] == ["patient": ["id": "3"]])
                guard case .list(let incremental)? = parts.last?["incremental"], let entry = incremental.first else {
                    Issue.record("no subsequent payload: \(body)")
                    return
                }
                #expect(entry["data"] == ["medications": .null])
                guard case .list(let errors)? = entry["errors"] else {
                    Issue.record("no errors: \(body)")
                    return
                }
                #expect(errors.map { $0["path"] } == [["patient", "medications"]])
                #expect(errors.map { $0["extensions"]?["code"] } == ["DOWNSTREAM_UNAVAILABLE"])
            }
        }
    }

    /// A gateway listening on a loopback port (responses stream as they are written), with its fixtures.
    private func withLiveGateway(_ body: (Int, FixtureHarness) async throws -> Void) async throws {
        try await withGateway { fixtures, executor in
            let (ports, announce) = AsyncStream<Int>.makeStream()
            var logger = Logger(label: "defer-test")
            logger.logLevel = .warning
            let app = Application(
                router: makeGatewayRouter(executor: executor, options: try await TestAuth.serverOptions()),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) }, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            let running = Task { try await group.run() }
            var portIterator = ports.makeAsyncIterator()
            let port = try #require(await portIterator.next())
            do {
                try await body(port, fixtures)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            _ = try? await running.value
        }
    }

    /// Streams a multipart POST of `query`; the chunks as they arrive.
    private func stream(_ port: Int, _ query: String) async throws -> HTTPClientResponse.Body.AsyncIterator {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/graphql")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "multipart/mixed")
        request.headers.add(name: "Authorization", value: try await TestAuth.bearer())
        request.body = .bytes(ByteBuffer(string: #"{"query":"\#(query.replacingOccurrences(of: "\"", with: "\\\""))"}"#))
        return try await HTTPClient.shared.execute(request, timeout: .seconds(60)).body.makeAsyncIterator()
    }

    @Test("the first part is sent before the deferred fragment's service answers")
    func firstPartDoesNotWaitForTheDeferredService() async throws {
        try await self.withLiveGateway { port, fixtures in
            // The medication service holds every request until the test opens its gate.
            let gate = try #require(fixtures.services[.medication]).hold()
            var chunks = try await self.stream(port, #"{ patient(id: "3") { id firstName ... @defer { medications { name } } } }"#)
            var received = ""
            while !received.contains("\"hasNext\":true}"), let chunk = try await chunks.next() { received += String(buffer: chunk) }
            // The initial part is here; the deferred call has reached the medication service and is held there.
            var arrivals = gate.arrivals.makeAsyncIterator()
            _ = await arrivals.next()
            #expect(received.contains(#""patient":{"id":"3","firstName":"#) && !received.contains("medications"))
            gate.open()
            while let chunk = try await chunks.next() { received += String(buffer: chunk) }
            let parts = try Self.parts(received)
            #expect(parts.count == 2 && parts.last?["completed"] != nil)
        }
    }

    @Test("deferred fragments run concurrently: one waiting for a held service does not hold back another's part")
    func groupsDoNotWaitForEachOther() async throws {
        try await self.withLiveGateway { port, fixtures in
            let gate = try #require(fixtures.services[.medication]).hold()
            let query = #"{ patient(id: "3") { id ... @defer(label: "meds") { medications { name } } ... @defer(label: "labs") { labOrders { test } } } }"#
            var chunks = try await self.stream(port, query)
            var received = ""
            // The initial part and the labs part, while the medication call is held at the gate.
            // (The body starts with a delimiter: two parts are three pieces, and the second must be whole.)
            while !(received.components(separatedBy: "\r\n---\r\n").count >= 3 && received.hasSuffix("}")), let chunk = try await chunks.next() {
                received += String(buffer: chunk)
            }
            var arrivals = gate.arrivals.makeAsyncIterator()
            _ = await arrivals.next()
            let early = received.components(separatedBy: "\r\n---\r\n")
            #expect(early.count == 3)
            #expect(early.count == 3 && early[2].contains("labOrders") && !early[2].contains("medications"))
            gate.open()
            while let chunk = try await chunks.next() { received += String(buffer: chunk) }
            let parts = try Self.parts(received)
            #expect(parts.count == 3)
            #expect(parts.last?["hasNext"] == false)
            guard case .list(let incremental)? = parts.last?["incremental"] else {
                Issue.record("no last payload: \(received)")
                return
            }
            guard case .list(let medications)? = incremental.first?["data"]?["medications"] else {
                Issue.record("no medications: \(received)")
                return
            }
            #expect(!medications.isEmpty)
        }
    }
}
