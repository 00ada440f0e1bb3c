import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Testing

@Suite("Gateway: batched resolution against the fixture services")
struct BatchingTests {
    @Test("50 patients with appointments, medications and lab orders take exactly 4 downstream calls")
    func onePerServicePerLevel() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(
                "{ patients(limit: 50) { id appointments { id date status } medications { name dosage } labOrders { test status } } }")
            #expect(errors.isEmpty)
            guard case .list(let patients)? = data?["patients"] else {
                Issue.record("no patients")
                return
            }
            #expect(patients.count == 50)
            #expect(patients.allSatisfy { if case .list(let items)? = $0["appointments"] { !items.isEmpty } else { false } })
            let observed1 = try await fixtures.totals()
            #expect(observed1 == ["clinical": 1, "business": 1, "medication": 1, "lab": 1, "insurance": 0])
            let observed2 = try await fixtures.stats(.business)
            #expect(observed2 == ["GET /api/v1/appointments?patientId": 1])
        }
    }

    @Test("appointment → patient → medications makes one call per level")
    func oneCallPerLevel() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(#"{ appointment(id: "7") { id patient { id medications { name } } } }"#)
            #expect(errors.isEmpty)
            #expect(data?["appointment"]?["patient"]?["id"] == "3")
            let observed3 = try await fixtures.totals()
            #expect(observed3 == ["business": 1, "clinical": 1, "medication": 1, "lab": 0, "insurance": 0])
        }
    }

    @Test("the appointments of 500 patients come in ⌈500 / max batch size⌉ chunks")
    func chunksLargeBatches() async throws {
        try await withGateway(maxBatchSize: 100) { fixtures, gateway in
            let pages = (0..<5).map { "p\($0): patients(limit: 100, offset: \($0 * 100)) { id appointments { id patientId } }" }
            let (data, errors) = await gateway.run("{ \(pages.joined(separator: " ")) }")
            #expect(errors.isEmpty)
            let observed4 = try await fixtures.stats(.business)
            #expect(observed4 == ["GET /api/v1/appointments?patientId": 5])
            // Every appointment came back to the patient it belongs to.
            for page in 0..<5 {
                guard case .list(let patients)? = data?["p\(page)"] else { continue }
                for patient in patients {
                    guard case .list(let appointments)? = patient["appointments"] else { continue }
                    #expect(appointments.allSatisfy { $0["patientId"] == patient["id"] })
                }
            }
        }
    }

    @Test("keys are de-duplicated: aliased look-ups of the same ids share one call")
    func deduplicatesKeys() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(#"{ a: patient(id: "1") { id } b: patient(id: "1") { id } c: patient(id: "2") { id } }"#)
            #expect(errors.isEmpty)
            #expect(data?["a"]?["id"] == "1")
            #expect(data?["c"]?["id"] == "2")
            let observed5 = try await fixtures.stats(.clinical)
            #expect(observed5 == ["GET /api/v1/patients?ids": 1])
        }
    }

    @Test("a batch answered out of order still maps each item to its key")
    func outOfOrderBatches() async throws {
        try await withGateway { fixtures, gateway in
            for service in fixtures.services.values { service.setFaults(FaultSettings(reverseBatches: true)) }
            let (data, errors) = await gateway.run(#"{ a: patient(id: "5") { id firstName } b: patient(id: "9") { id } patients(limit: 5) { id labOrders { patientId } } }"#)
            #expect(errors.isEmpty)
            #expect(data?["a"]?["id"] == "5")
            #expect(data?["b"]?["id"] == "9")
            guard case .list(let patients)? = data?["patients"] else { return }
            for patient in patients {
                guard case .list(let orders)? = patient["labOrders"] else { continue }
                #expect(orders.allSatisfy { $0["patientId"] == patient["id"] })
            }
        }
    }

    @Test("a missing entity is null; a missing non-null one is an error")
    func missingEntities() async throws {
        try await withGateway { _, gateway in
            let (data, errors) = await gateway.run(#"{ patient(id: "999999") { id } }"#)
            #expect(errors.isEmpty)
            #expect(data?["patient"] == .null)
        }
    }

    @Test("the paginated variant carries total, page, limit and pages")
    func pagination() async throws {
        try await withGateway { _, gateway in
            let (data, errors) = await gateway.run("{ patientsPage(limit: 10, offset: 20) { total page limit pages data { id } } }")
            #expect(errors.isEmpty)
            #expect(data?["patientsPage"]?["total"] == 1000)
            #expect(data?["patientsPage"]?["page"] == 3)
            #expect(data?["patientsPage"]?["pages"] == 100)
            #expect(data?["patientsPage"]?["data"]?.listCount == 10)
        }
    }

    @Test("an unbatched field under a list: one call per distinct URL, the calls of a level run at once, each parent gets its own answer")
    func unbatchedPerParent() async throws {
        // `Appointment.provider` read through `/api/v1/providers/{providerId}` (one URL per provider)
        // instead of the batched endpoint: the parents of one field wait on different concurrent calls.
        let text = try String(contentsOfFile: repositoryRoot + "/Schema/nilecare.graphql", encoding: .utf8)
        let batched = #"provider: Provider @fetch(service: "business", path: "/api/v1/providers", batchParam: "ids", key: "providerId")"#
        #expect(text.contains(batched))
        let unbatched = text.replacingOccurrences(of: batched, with: #"provider: Provider @fetch(service: "business", path: "/api/v1/providers/{providerId}")"#)
        let schema = try GatewaySchema(sdl: [("Schema/nilecare.graphql", unbatched)], services: ServiceEndpoint.serviceNames)
        let fixtures = try await FixtureHarness.start()
        let client = DownstreamClient(services: fixtures.endpoints(timeout: .seconds(5), timeouts: [:]))
        let gateway = GatewayExecutor(schema: schema, client: client, options: ExecutionOptions())
        let (data, errors) = await gateway.run("{ patients(limit: 20) { appointments { providerId provider { id } } } }")
        try await client.shutdown()
        let business = try await fixtures.stats(.business)
        await fixtures.shutdown()
        #expect(errors.isEmpty)
        guard case .list(let patients)? = data?["patients"] else {
            Issue.record("no patients")
            return
        }
        var providers = Set<String>()
        for patient in patients {
            guard case .list(let appointments)? = patient["appointments"] else { continue }
            for appointment in appointments {
                #expect(appointment["provider"]?["id"] == appointment["providerId"])
                if let id = appointment["providerId"]?.stringValue { providers.insert(id) }
            }
        }
        #expect(providers.count > 1)
        let providerCalls = business.filter { $0.key.hasPrefix("GET /api/v1/providers/") }.values.reduce(0, +)
        #expect(providerCalls == providers.count)
    }
}

extension Value {
    var listCount: Int? {
        if case .list(let items) = self { return items.count }
        return nil
    }

}
