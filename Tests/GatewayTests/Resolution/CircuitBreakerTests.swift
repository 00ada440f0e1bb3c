import FixtureServices
@testable import Gateway
import GraphQLEngine
import Synchronization
import Testing

@Suite("Gateway: circuit breakers and retries per downstream service")
struct CircuitBreakerTests {
    /// A clock the test moves by hand (no sleeping).
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        func advance(_ duration: Duration) { self.instant.withLock { $0 += duration } }
        var now: @Sendable () -> ContinuousClock.Instant { { self.instant.withLock { $0 } } }
    }

    @Test("opens after consecutive failures, fails fast while open, lets one probe through, closes on its success")
    func lifecycle() {
        let clock = ManualClock()
        var policy = CircuitBreakerPolicy()
        policy.consecutiveFailures = 3
        policy.openDuration = .seconds(5)
        let breaker = CircuitBreaker(service: "lab", policy: policy, now: clock.now)
        for _ in 0..<2 {
            #expect(breaker.permitsCall())
            breaker.record(success: false)
        }
        #expect(breaker.state == .closed)
        breaker.record(success: true)  // a success resets the run of failures
        for _ in 0..<3 { breaker.record(success: false) }
        #expect(breaker.state == .open)
        #expect(!breaker.permitsCall())
        clock.advance(.seconds(5))
        #expect(breaker.permitsCall())  // the probe
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.permitsCall())  // only one at a time
        breaker.record(success: false)
        #expect(breaker.state == .open)
        #expect(!breaker.permitsCall())
        clock.advance(.seconds(5))
        #expect(breaker.permitsCall())
        breaker.recordNeutral()  // cut short by the client's deadline: says nothing, next call probes
        #expect(breaker.permitsCall())
        breaker.record(success: true)
        #expect(breaker.state == .closed)
        #expect(breaker.permitsCall())
    }

    @Test("opens on the failure rate of the window too, once it holds enough calls")
    func failureRate() {
        let clock = ManualClock()
        var policy = CircuitBreakerPolicy()
        policy.consecutiveFailures = 1_000
        policy.minimumCalls = 10
        policy.failureRate = 0.5
        let breaker = CircuitBreaker(service: "lab", policy: policy, now: clock.now)
        for index in 0..<9 { breaker.record(success: index % 2 == 0) }
        #expect(breaker.state == .closed)  // 4 of 9: below the rate, and too few calls
        breaker.record(success: false)
        #expect(breaker.state == .open)  // 5 of 10
        clock.advance(.seconds(11))
        _ = breaker.permitsCall()
        breaker.record(success: true)
        // A new window: old failures do not count.
        for _ in 0..<4 { breaker.record(success: false) }
        for _ in 0..<6 { breaker.record(success: true) }
        #expect(breaker.state == .closed)
    }

    @Test("a failing service: GETs retried, then its circuit opens and requests stop reaching it; its fields fail fast, the rest is served")
    func gatewayFailsFast() async throws {
        try await withGateway { fixtures, gateway in
            fixtures.services[.lab]!.setFaults(FaultSettings(errorRate: 1))
            let query = #"{ patient(id: "4") { id labOrders { id } } }"#
            let first = await gateway.run(query)
            #expect(first.data?["patient"]?["id"] == "4")
            #expect(first.errors.map { $0.extensions["code"] } == ["DOWNSTREAM_ERROR"])
            // One request: the call and its two retries.
            #expect(try await fixtures.stats(.lab)["FAULT GET /api/v1/lab-orders"] == 3)
            _ = await gateway.run(query)
            #expect(gateway.client.breakers["lab"]?.state == .open)
            let calls = try await fixtures.stats(.lab)["FAULT GET /api/v1/lab-orders"]
            for _ in 0..<5 {
                let open = await gateway.run(query)
                #expect(open.data?["patient"]?["id"] == "4")
                #expect(open.errors.map { $0.extensions["code"] } == ["DOWNSTREAM_UNAVAILABLE"])
            }
            #expect(try await fixtures.stats(.lab)["FAULT GET /api/v1/lab-orders"] == calls)
            #expect(gateway.client.circuitStates["lab"] == "open" && gateway.client.circuitStates["clinical"] == "closed")
        }
    }

    @Test("while a circuit is open, expired entries in their grace period are served (stale-if-error), without calling the service")
    func staleWhileOpen() async throws {
        try await withStaleIfErrorGateway { offset, fixtures, gateway in
            let request = GatewayRequest(query: #"{ patient(id: "6") { id appointments { id } } }"#, principal: .clinician("dana"))
            let fresh = await gateway.execute(request)
            #expect(fresh.result.errors.isEmpty)
            offset.withLock { $0 = 120_000 }  // appointments (maxAge 60) expired, still in their grace period
            fixtures.services[.business]!.setFaults(FaultSettings(errorRate: 1))
            for _ in 0..<2 { _ = await gateway.execute(request) }
            #expect(gateway.client.breakers["business"]?.state == .open)
            let calls = try await fixtures.stats(.business)["FAULT GET /api/v1/appointments"]
            let stale = await gateway.execute(request)
            #expect(stale.result.errors.isEmpty)
            #expect(stale.result.data == fresh.result.data)
            #expect(stale.staleIfErrorNotice == ["entries": 1, "services": ["business"]])
            #expect(try await fixtures.stats(.business)["FAULT GET /api/v1/appointments"] == calls)
        }
    }

    @Test("a mutation is never retried, even on a 503")
    func mutationsNotRetried() async throws {
        try await withGateway { fixtures, gateway in
            fixtures.services[.business]!.setFaults(FaultSettings(errorRate: 1))
            let response = await gateway.run(
                #"mutation { createAppointment(input: {patientId: "1", providerId: "1", date: "2031-01-02", time: "09:00"}) { id } }"#)
            #expect(response.errors.first?.extensions["code"] == "DOWNSTREAM_ERROR")
            let posts = try await fixtures.stats(.business)["FAULT POST /api/v1/appointments"]
            #expect(posts == 1)
        }
    }
}
