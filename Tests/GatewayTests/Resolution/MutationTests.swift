import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Testing

@Suite("Gateway: mutations")
struct MutationTests {
    @Test("createPatient POSTs the input once and returns the new patient")
    func createsPatient() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(
                "mutation ($input: PatientInput!) { createPatient(input: $input) { id firstName appointments { id } } }",
                variables: ["input": ["firstName": "Asha", "lastName": "Kamau", "dateOfBirth": "1990-04-02"]])
            #expect(errors.isEmpty)
            #expect(data?["createPatient"]?["firstName"] == "Asha")
            #expect(data?["createPatient"]?["id"] == "1001")
            let observed6 = try await fixtures.stats(.clinical)
            #expect(observed6 == ["POST /api/v1/patients": 1])
            let (again, _) = await gateway.run(#"{ patient(id: "1001") { lastName } }"#)
            #expect(again?["patient"]?["lastName"] == "Kamau")
        }
    }

    @Test("the downstream's validation error becomes DOWNSTREAM_BAD_REQUEST naming the service, without the downstream's words")
    func validationError() async throws {
        try await withGateway { fixtures, gateway in
            let (data, errors) = await gateway.run(
                #"mutation { createAppointment(input: {patientId: "1", providerId: "9999", date: "2026-01-02", time: "09:00"}) { id } }"#)
            #expect(data == .null)
            #expect(errors.first?.message == "The business service refused the request as invalid (HTTP 400).")
            #expect(errors.first?.extensions["code"] == "DOWNSTREAM_BAD_REQUEST")
            #expect(errors.first?.extensions["service"] == "business")
            #expect(errors.first?.path == [.key("createAppointment")])
            let observed7 = try await fixtures.stats(.business)
            #expect(observed7 == ["POST /api/v1/appointments": 1])
        }
    }
}
