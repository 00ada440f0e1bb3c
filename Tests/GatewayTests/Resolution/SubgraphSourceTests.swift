import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Testing

/// The insurance subgraph (`Fixtures/insurance.graphql`, served through `_entities`) behind the gateway.
@Suite("GraphQL subgraph sources: batched _entities, forwarded root fields, failures, cache and authorization")
struct SubgraphSourceTests {
    /// The fixture's coverage rows by patient id, read from the file the subgraph serves.
    static let coverageByPatient: [String: [Value]] = {
        guard let data = FileManager.default.contents(atPath: repositoryRoot + "/Fixtures/coverage.json"),
            case .list(let rows)? = try? JSONReader.parse([UInt8](data))
        else { return [:] }
        return Dictionary(grouping: rows) { $0["patientId"]?.stringValue ?? "" }
    }()

    @Test("50 patients' coverage and claims take one _entities call, and each patient gets their own")
    func oneEntitiesCallPerLevel() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run("{ patients(limit: 50) { id coverage { id patientId memberId } claims { patientId } } }")
            #expect(errors.isEmpty)
            let seen1 = try await fixtures.stats(.insurance)
            #expect(seen1 == ["POST /graphql _entities": 1])
            let seen2 = try await fixtures.stats(.clinical)
            #expect(seen2 == ["GET /api/v1/patients": 1])
            guard case .list(let patients)? = data?["patients"] else {
                Issue.record("no patients")
                return
            }
            #expect(patients.count == 50)
            var covered = 0
            for patient in patients {
                let id = patient["id"]?.stringValue ?? "-"
                let expected = (Self.coverageByPatient[id] ?? []).map { $0["memberId"] }
                guard case .list(let coverage)? = patient["coverage"] else {
                    Issue.record("patient \(id) has no coverage list")
                    continue
                }
                #expect(coverage.map { $0["memberId"] } == expected)
                #expect(coverage.allSatisfy { $0["patientId"]?.stringValue == id })
                if case .list(let claims)? = patient["claims"] { #expect(claims.allSatisfy { $0["patientId"]?.stringValue == id }) }
                covered += coverage.count
            }
            #expect(covered > 40)
        }
    }

    @Test("REST → subgraph → REST: a coverage's patient and its claims' appointments continue on the loaders, one call per level")
    func mixedChain() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(
                "{ patients(limit: 5) { id coverage { payer patient { id lastName } claims { appointmentId appointment { id patientId } } } } }")
            #expect(errors.isEmpty)
            let seen3 = try await fixtures.stats(.insurance)
            #expect(seen3 == ["POST /graphql _entities": 1])
            let seen4 = try await fixtures.stats(.clinical)
            #expect(seen4 == ["GET /api/v1/patients": 1, "GET /api/v1/patients?ids": 1])
            let seen5 = try await fixtures.stats(.business)
            #expect(seen5 == ["GET /api/v1/appointments?ids": 1])
            guard case .list(let patients)? = data?["patients"] else {
                Issue.record("no patients")
                return
            }
            var appointments = 0
            for patient in patients {
                guard case .list(let coverage)? = patient["coverage"] else { continue }
                for item in coverage {
                    #expect(item["patient"]?["id"] == patient["id"])
                    guard case .list(let claims)? = item["claims"] else { continue }
                    for claim in claims {
                        #expect(claim["appointment"]?["id"] == claim["appointmentId"])
                        #expect(claim["appointment"]?["patientId"] == patient["id"])
                        appointments += 1
                    }
                }
            }
            #expect(appointments > 0)
        }
    }

    @Test("root fields of one level share one query; aliases, arguments, variables and fragments pass through")
    func rootFieldsForwarded() async throws {
        try await withGateway { fixtures, gateway in
            let query = """
                query ($id: ID!, $paid: ClaimStatus) {
                  a: coverage(id: $id) { ...plan claims(status: $paid) { status } }
                  b: coverage(id: "2") { who: memberId }
                  claim(id: "1") { ... on Claim { status } }
                }
                fragment plan on Coverage { payer planName }
                """
            let (data, errors) = await gateway.run(query, variables: ["id": "1", "paid": "PAID"])
            #expect(errors.isEmpty)
            let seen6 = try await fixtures.stats(.insurance)
            #expect(seen6 == ["POST /graphql query": 1])
            let first = Self.coverageByPatient["2"]?.first
            #expect(data?["a"]?["payer"] == first?["payer"] && data?["a"]?["planName"] == first?["planName"])
            if case .list(let claims)? = data?["a"]?["claims"] { #expect(claims.allSatisfy { $0["status"] == "PAID" }) }
            #expect(data?["b"]?["who"] == Self.coverageByPatient["3"]?.first?["memberId"])
            #expect(data?["b"]?["memberId"] == nil)
            #expect(data?["claim"]?["status"] != nil)
        }
    }

    @Test("a subgraph that is down fails its fields with their paths; the rest of the patient is served")
    func subgraphDown() async throws {
        try await withGateway(down: [.insurance]) { _, gateway in
            let (data, errors) = await gateway.run("{ patient(id: \"3\") { firstName coverage { payer } } }")
            #expect(data?["patient"]?["firstName"]?.stringValue?.isEmpty == false)
            #expect(data?["patient"]?["coverage"] == .null)
            #expect(errors.count == 1)
            #expect(errors.first?.path == [.key("patient"), .key("coverage")])
            #expect(errors.first?.extensions["code"] == "DOWNSTREAM_UNAVAILABLE")
        }
    }

    @Test("a subgraph's own errors become our codes; its messages are not passed on")
    func subgraphErrorsMapped() async throws {
        try await withGateway { fixtures, gateway in
            var faults = FaultSettings()
            faults.answer = .graphQLErrors
            fixtures.services[.insurance]?.setFaults(faults)
            let (data, errors) = await gateway.run("{ patient(id: \"3\") { firstName coverage { payer } } }")
            #expect(data?["patient"]?["firstName"] != nil)
            #expect(errors.map { $0.extensions["code"] } == ["DOWNSTREAM_ERROR"])
            #expect(errors.allSatisfy { !$0.message.contains("SQL") && !$0.message.contains("db01") })
            faults.answer = .wrongShape
            fixtures.services[.insurance]?.setFaults(faults)
            let wrong = await gateway.run("{ patient(id: \"3\") { coverage { payer } } }")
            #expect(wrong.errors.map { $0.extensions["code"] } == ["DOWNSTREAM_BAD_RESPONSE"])
        }
    }

    @Test("cached per selection and caller: a second run is answered from the cache, another caller's is not")
    func cachedPerCaller() async throws {
        try await withGateway(cache: MemoryCacheStore()) { fixtures, gateway in
            let query = "{ patient(id: \"3\") { coverage { payer claims { id } } } }"
            let first = await gateway.run(query, authorization: "dr-a")
            #expect(first.errors.isEmpty)
            let again = await gateway.run(query, authorization: "dr-a")
            #expect(again.data == first.data)
            let seen7 = try await fixtures.stats(.insurance)
            #expect(seen7 == ["POST /graphql _entities": 1])
            // Another selection of the same field is another entry.
            _ = await gateway.run("{ patient(id: \"3\") { coverage { memberId } } }", authorization: "dr-a")
            let seen8 = try await fixtures.stats(.insurance)
            #expect(seen8 == ["POST /graphql _entities": 2])
            // PRIVATE by default: another clinician's request is not served what dr-a fetched.
            let other = await gateway.run(query, authorization: "dr-b")
            #expect(other.data == first.data)
            let seen9 = try await fixtures.stats(.insurance)
            #expect(seen9 == ["POST /graphql _entities": 3])
        }
    }

    @Test("a patient reads only their own coverage and claims, whatever path leads to them")
    func patientsReadTheirOwn() async throws {
        try await withGateway { _, gateway in
            let own = await gateway.run("{ patient(id: \"3\") { coverage { id claims { id } } claims { id } } }", principal: .patient("3"))
            #expect(own.errors.isEmpty)
            #expect(own.data?["patient"]?["coverage"]?.listCount == Self.coverageByPatient["3"]?.count)
            let otherID = Self.coverageByPatient["4"]?.first?["id"]?.stringValue ?? "-"
            let other = await gateway.run("{ coverage(id: \"\(otherID)\") { id payer } }", principal: .patient("3"))
            #expect(other.data?["coverage"] == .null)
            #expect(other.errors.map { $0.extensions["code"] } == ["FORBIDDEN"])
            let anonymous = await gateway.run("{ coverage(id: \"1\") { id } }", principal: .anonymous)
            #expect(anonymous.errors.map { $0.extensions["code"] } == ["UNAUTHENTICATED"])
        }
    }

    @Test("the downstream-call bound counts one call per subgraph per level")
    func callBound() async throws {
        let query = "{ patients(limit: 3) { coverage { id } claims { id } } coverage(id: \"1\") { id } claim(id: \"1\") { id } }"
        try await withGateway(configure: { $0.maxDownstreamCalls = 3 }) { fixtures, gateway in
            let (_, errors) = await gateway.run(query)
            #expect(errors.isEmpty)
            let seen10 = try await fixtures.totals().values.reduce(0, +)
            #expect(seen10 == 3)
        }
        try await withGateway(configure: { $0.maxDownstreamCalls = 2 }) { fixtures, gateway in
            let refused = await gateway.run(query)
            #expect(refused.errors.first?.extensions["code"] == "DOWNSTREAM_BUDGET_EXCEEDED")
            let seen11 = try await fixtures.totals().values.reduce(0, +)
            #expect(seen11 == 0)
        }
    }
}
