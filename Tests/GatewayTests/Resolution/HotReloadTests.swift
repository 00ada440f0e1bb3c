import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Testing

@Suite("Gateway: hot reload of the schema", .timeLimit(.minutes(2)))
struct HotReloadTests {
    @Test("an added field is served within seconds while in-flight requests finish; a broken edit keeps the schema in force")
    func reload() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nilecare-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nilecare.graphql")
        let original = try String(contentsOfFile: repositoryRoot + "/Schema/nilecare.graphql", encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        try await withGateway { fixtures, gateway in
            let initial = try GatewaySchema(contentsOf: folder.path, services: ServiceEndpoint.serviceNames)
            let runtime = GatewayRuntime(GatewayExecutor(schema: initial, client: gateway.client))
            let (reloads, announce) = AsyncStream<Bool>.makeStream()
            var watcher = SchemaWatcher(path: folder.path, runtime: runtime)
            watcher.interval = .milliseconds(50)
            watcher.onReload = { outcome in announce.yield(!outcome.isFailure) }
            let watching = Task { await watcher.run() }
            defer { watching.cancel() }
            var outcomes = reloads.makeAsyncIterator()
            let fields = #"{ __type(name: "Patient") { fields { name } } }"#

            // A request in flight on the old schema: held inside the clinical service until the reload is done.
            let gate = fixtures.services[.clinical]!.hold()
            let inFlight = Task { await runtime.current.run(#"{ patient(id: "2") { id firstName } }"#) }
            var arrivals = gate.arrivals.makeAsyncIterator()
            _ = await arrivals.next()
            try original.replacingOccurrences(of: "  firstName: String!\n", with: "  firstName: String!\n  \"A preferred name.\"\n  nickname: String\n")
                .write(to: file, atomically: true, encoding: .utf8)
            #expect(await outcomes.next() == true)
            #expect(runtime.reloadCount == 1)
            #expect((await runtime.current.run(fields)).data?.jsonString.contains("nickname") == true)
            gate.open()
            let answered = await inFlight.value
            #expect(answered.errors.isEmpty && answered.data?["patient"]?["id"] == "2")

            // A broken edit: logged, and the last good schema keeps serving.
            try "type Query { broken: Nope }".write(to: file, atomically: true, encoding: .utf8)
            #expect(await outcomes.next() == false)
            #expect(runtime.reloadCount == 1)
            #expect((await runtime.current.run(fields)).data?.jsonString.contains("nickname") == true)
            #expect(runtime.reload(from: folder.path).isFailure)
        }
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
