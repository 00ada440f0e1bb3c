import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Testing

@Suite("Gateway: downstream failures degrade, they don't take the response down")
struct FaultTests {
    @Test("medication service down: patients and appointments served, medications null with errors and paths")
    func serviceDown() async throws {
        try await withGateway(down: [.medication]) { _, gateway in
            let (data, errors) = await gateway.run("{ patients(limit: 3) { id appointments { id } medications { name } } }")
            guard case .list(let patients)? = data?["patients"] else {
                Issue.record("patients missing: \(errors)")
                return
            }
            #expect(patients.count == 3)
            #expect(patients.allSatisfy { $0["medications"] == .null && $0["appointments"]?.listCount ?? 0 > 0 })
            #expect(errors.count == 3)
            #expect(errors.first?.path == [.key("patients"), .index(0), .key("medications")])
            #expect(errors.first?.extensions["code"] == "DOWNSTREAM_UNAVAILABLE")
            #expect(errors.first?.extensions["service"] == "medication")
        }
    }

    @Test("a downstream 5xx is DOWNSTREAM_ERROR on the fields it feeds")
    func serverErrors() async throws {
        try await withGateway { fixtures, gateway in
            fixtures.services[.lab]!.setFaults(FaultSettings(errorRate: 1))
            let (data, errors) = await gateway.run("{ patients(limit: 2) { id labOrders { test } } }")
            #expect(data?["patients"]?.listCount == 2, "\(errors)")
            #expect(errors.map { $0.extensions["code"] } == ["DOWNSTREAM_ERROR", "DOWNSTREAM_ERROR"])
        }
    }

    @Test("a downstream slower than its timeout fails after the timeout, not after the downstream")
    func timeout() async throws {
        try await withGateway(timeouts: [.business: .milliseconds(300)]) { fixtures, gateway in
            fixtures.services[.business]!.setFaults(FaultSettings(delay: .seconds(8)))
            let started = ContinuousClock.now
            let (data, errors) = await gateway.run("{ patients(limit: 2) { id appointments { id } } }")
            // The response must not wait for the 8 s downstream (its timeout is 300 ms; the other
            // services keep the default, so a loaded machine does not fail them; the bound leaves room).
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(data?["patients"]?.listCount == 2, "\(errors)")
            #expect(errors.first?.extensions["code"] == "DOWNSTREAM_TIMEOUT")
            #expect(errors.first?.path == [.key("patients"), .index(0), .key("appointments")])
        }
    }
}
