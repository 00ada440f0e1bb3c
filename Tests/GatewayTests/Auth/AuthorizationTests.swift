import FixtureServices
import Gateway
import GraphQLEngine
import Testing

@Suite("Auth: who may read which patient's records")
struct AuthorizationTests {
    static let full = "id firstName appointments { id patientId reason } medications { patientId name } labOrders { patientId test }"

    @Test("a patient reads their own records; another patient's are FORBIDDEN at every path, the rest still served")
    func ownRecordsOnly() async throws {
        try await withGateway(cache: MemoryCacheStore()) { _, gateway in
            let own = await gateway.run(#"{ patient(id: "5") { \#(Self.full) } }"#, principal: .patient("5"))
            #expect(own.errors.isEmpty)
            #expect(own.data?["patient"]?["id"] == "5")

            // Root field, a list under it, a nested path through an appointment, and a list root field.
            let other = await gateway.run(#"{ me: patient(id: "5") { id } other: patient(id: "6") { id firstName } }"#, principal: .patient("5"))
            #expect(other.data?["me"]?["id"] == "5")
            #expect(other.data?["other"] == .null)
            #expect(other.errors.map { $0.extensions["code"] } == ["FORBIDDEN"])
            #expect(other.errors.first?.path == [.key("other")])

            let appointmentID = try #require(await self.appointmentID(of: "6", gateway))
            let nested = await gateway.run(#"{ appointment(id: "\#(appointmentID)") { id patient { firstName } } }"#, principal: .patient("5"))
            #expect(nested.data?["appointment"] == .null)
            #expect(nested.errors.first?.extensions["code"] == "FORBIDDEN")

            let list = await gateway.run("{ patients(limit: 3) { id } }", principal: .patient("5"))
            #expect(list.data?["patients"] == .null)
            #expect(list.errors.first?.extensions["code"] == "FORBIDDEN")
        }
    }

    @Test("after a clinician cached patient 6's records, patient 5 still gets none of them")
    func deniedAfterCaching() async throws {
        try await withGateway(cache: MemoryCacheStore()) { _, gateway in
            let query = #"{ patient(id: "6") { \#(Self.full) } }"#
            let cached = await gateway.run(query, principal: .clinician("dr-a"))
            let name = try #require(cached.data?["patient"]?["firstName"]?.stringValue)
            for _ in 0..<2 {
                let attempt = await gateway.run(query, principal: .patient("5"))
                #expect(attempt.data?["patient"] == .null)
                let text = attempt.data?.jsonString ?? ""
                #expect(text.contains(name) == false)
            }
        }
    }

    @Test("nobody signed in: PHI fields are UNAUTHENTICATED, public data is served")
    func anonymous() async throws {
        try await withGateway { _, gateway in
            let response = await gateway.run(#"{ provider(id: "1") { lastName } patient(id: "1") { id } }"#, principal: .anonymous)
            #expect(response.data?["provider"]?["lastName"] != nil)
            #expect(response.data?["patient"] == .null)
            #expect(response.errors.map { $0.extensions["code"] } == ["UNAUTHENTICATED"])
        }
    }

    @Test("mutations per role: a patient books only for themselves and cannot register patients")
    func mutations() async throws {
        try await withGateway { fixtures, gateway in
            let book = { (patient: String) in
                #"mutation { createAppointment(input: {patientId: "\#(patient)", providerId: "2", date: "2026-12-03", time: "09:00"}) { id patientId } }"#
            }
            let own = await gateway.run(book("5"), principal: .patient("5"))
            #expect(own.errors.isEmpty)
            let before = try await fixtures.stats(.business)
            let other = await gateway.run(book("6"), principal: .patient("5"))
            #expect(other.errors.first?.extensions["code"] == "FORBIDDEN")
            // Refused before the downstream was called.
            #expect(try await fixtures.stats(.business) == before)
            let register = await gateway.run(
                #"mutation { createPatient(input: {firstName: "A", lastName: "B", dateOfBirth: "2000-01-01"}) { id } }"#, principal: .patient("5"))
            #expect(register.errors.first?.extensions["code"] == "FORBIDDEN")
        }
    }

    @Test("randomized: over many principals and queries sharing one cache, no response holds another patient's records")
    func randomizedIsolation() async throws {
        var generator = SeededGenerator(seed: 20_261_125)
        try await withGateway(cache: MemoryCacheStore()) { _, gateway in
            let queries: [(String) -> String] = [
                { #"{ patient(id: "\#($0)") { \#(Self.full) } }"# },
                { #"{ patient(id: "\#($0)") { appointments { id patient { id medications { patientId } } } } }"# },
                { #"{ a: patient(id: "\#($0)") { id } b: patient(id: "\#($0)") { labOrders { patientId } } }"# },
            ]
            for _ in 0..<150 {
                let caller = String(Int.random(in: 1...12, using: &generator))
                let target = String(Int.random(in: 1...12, using: &generator))
                let clinician = Int.random(in: 0..<4, using: &generator) == 0
                let principal: Principal = clinician ? .clinician("dr-\(caller)") : .patient(caller)
                let query = queries[Int.random(in: 0..<queries.count, using: &generator)](target)
                let response = await gateway.run(query, principal: principal)
                guard !clinician else { continue }
                let owners = Self.patientIDs(in: response.data ?? .null)
                #expect(owners.isSubset(of: [caller]), "patient \(caller) got records of \(owners) for \(query)")
            }
        }
    }

    @Test("the audit log names the principal, the operation and the patients touched, and no PHI values")
    func auditLog() async throws {
        let sink = MemoryAuditSink()
        try await withGateway(configure: { $0.auditSink = sink }) { _, gateway in
            let response = await gateway.run(
                #"query Chart { a: patient(id: "3") { firstName dateOfBirth } b: patient(id: "4") { firstName } }"#, principal: .clinician("dr-audit"))
            _ = await gateway.run(#"{ provider(id: "1") { lastName } }"#, principal: .clinician("dr-audit"))
            _ = await gateway.run(#"{ patient(id: "9") { id } }"#, principal: .patient("8"))
            let records = sink.records
            #expect(records.count == 2)
            #expect(records[0].subject == "dr-audit" && records[0].role == "clinician" && records[0].operationName == "Chart")
            #expect(records[0].patientIDs == ["3", "4"])
            #expect(records[0].outcome == "ok")
            #expect(records[0].operationHash.count == 64)
            #expect(records[1].outcome == "denied" && records[1].subject == "8")
            let line = String(decoding: records[0].json, as: UTF8.self)
            for value in Self.strings(in: response.data ?? .null) { #expect(!line.contains(value)) }
        }
    }

    /// Every patient id in a response: `Patient.id` and the `patientId` of records.
    static func patientIDs(in value: Value) -> Set<String> {
        var found = Set<String>()
        func walk(_ value: Value, key: String?, parent: String?) {
            switch value {
            case .object(let fields):
                for (name, child) in fields { walk(child, key: name, parent: key) }
            case .list(let items):
                for item in items { walk(item, key: key, parent: parent) }
            case .string(let string):
                if key == "patientId" || (key == "id" && (parent == "patient" || parent == "a" || parent == "b")) { found.insert(string) }
            default: break
            }
        }
        walk(value, key: nil, parent: nil)
        return found
    }

    static func strings(in value: Value) -> [String] {
        switch value {
        case .object(let fields): fields.values.flatMap(strings)
        case .list(let items): items.flatMap(strings)
        case .string(let string): [string]
        default: []
        }
    }

    private func appointmentID(of patient: String, _ gateway: GatewayExecutor) async -> String? {
        let response = await gateway.run(#"{ patient(id: "\#(patient)") { appointments { id } } }"#, principal: .clinician("dr-lookup"))
        guard case .list(let appointments)? = response.data?["patient"]?["appointments"] else { return nil }
        return appointments.first?["id"]?.stringValue
    }
}

/// A small deterministic generator (SplitMix64) for randomized tests that replay.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
