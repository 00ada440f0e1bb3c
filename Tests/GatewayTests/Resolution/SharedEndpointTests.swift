import FixtureServices
import Gateway
import GraphQLEngine
import Testing

@Suite("Batching: one call per endpoint per level, and a downstream-call limit that holds")
struct SharedEndpointTests {
    @Test("fields that share an endpoint at one level share its call (providers of appointments and prescribers of medications)")
    func sharedEndpoint() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(
                "{ patients(limit: 3) { appointments { providerId provider { id } } medications { prescribedBy prescriber { id } } } }")
            #expect(errors.isEmpty)
            let business = try await fixtures.stats(.business)
            #expect(business == ["GET /api/v1/appointments?patientId": 1, "GET /api/v1/providers?ids": 1])
            // Each field got the provider its own key names.
            guard case .list(let patients)? = data?["patients"] else {
                Issue.record("no patients")
                return
            }
            var checked = 0
            for patient in patients {
                if case .list(let appointments)? = patient["appointments"] {
                    for appointment in appointments {
                        #expect(appointment["provider"]?["id"] == appointment["providerId"])
                        checked += 1
                    }
                }
                if case .list(let medications)? = patient["medications"] {
                    for medication in medications {
                        #expect(medication["prescriber"]?["id"] == medication["prescribedBy"])
                        checked += 1
                    }
                }
            }
            #expect(checked > 3)
        }
    }

    @Test("a shared call keeps each field's own cache entries: the second run is answered from the cache")
    func sharedEndpointCaches() async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, gateway in
            let query = "{ patients(limit: 3) { appointments { provider { id } } medications { prescriber { id } } } }"
            let first = await gateway.run(query)
            #expect(first.errors.isEmpty)
            let second = await gateway.run(query)
            #expect(second.data == first.data)
            let business = try await fixtures.stats(.business)
            #expect(business["GET /api/v1/providers?ids"] == 1)
        }
    }

    @Test("aliases of an unbatched field with other arguments are other calls, and the limit counts them before any call")
    func aliasesCountSeparately() async throws {
        let query = "{ a: patients(limit: 1) { id } b: patients(limit: 2) { id } c: patients(limit: 1) { id } }"
        try await withGateway(configure: { $0.maxDownstreamCalls = 1 }) { fixtures, gateway in
            let refused = await gateway.run(query)
            #expect(refused.data == nil)
            #expect(refused.errors.first?.extensions["code"] == "DOWNSTREAM_BUDGET_EXCEEDED")
            let totals = try await fixtures.totals()
            #expect(totals.values.reduce(0, +) == 0)
        }
        try await withGateway(configure: { $0.maxDownstreamCalls = 2 }) { fixtures, gateway in
            let (data, errors) = await gateway.run(query)
            #expect(errors.isEmpty)
            #expect(data?["b"]?.listCount == 2)
            let clinical = try await fixtures.stats(.clinical)
            #expect(clinical.values.reduce(0, +) == 2)  // a and c are one URL
        }
    }

    @Test("keys past one batch are chunked, and no request makes more calls than the limit: the rest fail with their paths")
    func chunksWithinTheLimit() async throws {
        let query = "{ patients(limit: 5) { id appointments { id } } }"  // 1 call, then 5 keys in chunks of 2: 3 calls
        try await withGateway(maxBatchSize: 2, configure: { $0.maxDownstreamCalls = 3 }) { fixtures, gateway in
            let (data, errors) = await gateway.run(query)
            let totals = try await fixtures.totals()
            #expect(totals.values.reduce(0, +) == 3)
            #expect(!errors.isEmpty && errors.allSatisfy { $0.extensions["code"] == "DOWNSTREAM_BUDGET_EXCEEDED" && $0.path?.count == 3 })
            guard case .list(let patients)? = data?["patients"] else {
                Issue.record("no patients")
                return
            }
            #expect(patients.filter { $0["appointments"] == .null }.count == errors.count)
        }
        try await withGateway(maxBatchSize: 2, configure: { $0.maxDownstreamCalls = 4 }) { fixtures, gateway in
            let (_, errors) = await gateway.run(query)
            #expect(errors.isEmpty)
            let business = try await fixtures.stats(.business)
            #expect(business == ["GET /api/v1/appointments?patientId": 3])
        }
    }
}
