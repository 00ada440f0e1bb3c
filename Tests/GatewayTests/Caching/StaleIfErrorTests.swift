import FixtureServices
import Gateway
import GraphQLEngine
import Synchronization
import Testing

@Suite("Gateway: stale-if-error")
struct StaleIfErrorTests {
    @Test("an expired entry is served, flagged, while its service fails; refreshed when it is back; never past the grace period")
    func staleServedOnFailure() async throws {
        try await withStaleIfErrorGateway { offset, fixtures, gateway in
            let read = #"{ patient(id: "3") { id appointments { id reason } } }"#
            let request = GatewayRequest(query: read, principal: .clinician("dana"))
            let fresh = await gateway.execute(request)
            #expect(fresh.result.errors.isEmpty)
            #expect(fresh.staleIfErrorNotice == nil)

            // Appointments (maxAge 60) expired two minutes ago, and the business service fails.
            offset.withLock { $0 = 120_000 }
            fixtures.services[.business]!.setFaults(FaultSettings(errorRate: 1))
            let stale = await gateway.execute(request)
            #expect(stale.result.errors.isEmpty)
            #expect(stale.result.data == fresh.result.data)
            #expect(stale.staleIfErrorNotice == ["entries": 1, "services": ["business"]])

            // Back up: the expired entry is not served; the service is asked again.
            fixtures.services[.business]!.setFaults(FaultSettings())
            let before = try await fixtures.stats(.business)["GET /api/v1/appointments?patientId"] ?? 0
            let refreshed = await gateway.execute(request)
            #expect(refreshed.staleIfErrorNotice == nil)
            #expect(try await fixtures.stats(.business)["GET /api/v1/appointments?patientId"] == before + 1)

            // Past maxAge + grace, a failure is an error again.
            offset.withLock { $0 += 60_000 + 601_000 }
            fixtures.services[.business]!.setFaults(FaultSettings(errorRate: 1))
            let expired = await gateway.execute(request)
            #expect(expired.staleIfErrorNotice == nil)
            #expect(expired.result.errors.map { $0.extensions["code"] } == ["DOWNSTREAM_ERROR"])
        }
    }
}
