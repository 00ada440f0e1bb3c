import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Testing

/// Subscriptions on the executor: events from mutations and the bus, resolved with the subscriber's
/// selection (batched, through other services), filtered by arguments, authorized per event.
@Suite("Gateway: subscriptions", .timeLimit(.minutes(2)))
struct SubscriptionTests {
    static let patientOne = Principal(subject: "1", role: .patient, patientID: "1")

    func start(_ gateway: GatewayExecutor, _ query: String, variables: [String: Value] = [:], principal: Principal = .clinician("dr-sub")) async
        -> SubscriptionStart
    {
        await gateway.subscribe(GatewayRequest(query: query, variables: variables, principal: principal))
    }

    func started(_ gateway: GatewayExecutor, _ query: String, principal: Principal = .clinician("dr-sub")) async throws -> GatewaySubscription {
        switch await self.start(gateway, query, principal: principal) {
        case .started(let subscription): return subscription
        case .refused(let result): throw SubscriptionTestError.refused(result.errors.map(\.message))
        }
    }

    func refusalCode(_ start: SubscriptionStart) -> Value? {
        guard case .refused(let result) = start else { return nil }
        return result.errors.first?.extensions["code"]
    }

    static func appointment(id: String, patientID: String) -> Value {
        ["id": .string(id), "patientId": .string(patientID), "providerId": "1", "date": "2026-12-03", "time": "09:00", "status": "SCHEDULED"]
    }

    @Test("a booking through the mutation reaches the subscriber, its provider and patient resolved from their services")
    func mutationPublishes() async throws {
        let hub = SubscriptionHub(bus: LocalEventBus())
        try await withGateway(subscriptions: hub) { fixtures, gateway in
            let subscription = try await self.started(
                gateway, "subscription { appointmentChanged { id patientId provider { lastName } patient { firstName } } }")
            var results = subscription.results.makeAsyncIterator()
            let (data, errors) = await gateway.run(
                #"mutation { createAppointment(input: {patientId: "4", providerId: "1", date: "2026-12-03", time: "09:00"}) { id } }"#)
            #expect(errors.isEmpty)
            let event = await results.next()
            #expect(event?.errors.isEmpty == true)
            #expect(event?.data?["appointmentChanged"]?["id"] == data?["createAppointment"]?["id"])
            #expect(event?.data?["appointmentChanged"]?["patientId"] == "4")
            #expect(event?.data?["appointmentChanged"]?["provider"]?["lastName"] == "Okafor")
            #expect(event?.data?["appointmentChanged"]?["patient"]?["firstName"] != nil)
            // The event's nested fields: one call to each service they need.
            let business = try await fixtures.stats(.business)
            #expect(business == ["POST /api/v1/appointments": 1, "GET /api/v1/providers?ids": 1])
            let clinical = try await fixtures.stats(.clinical)
            #expect(clinical == ["GET /api/v1/patients?ids": 1])
            subscription.cancel()
            #expect(hub.openCount == 0)
        }
    }

    @Test("a patient receives only their own events, may not subscribe for another, and an argument filters a clinician's")
    func perEventAuthorization() async throws {
        let bus = LocalEventBus()
        try await withGateway(subscriptions: SubscriptionHub(bus: bus)) { _, gateway in
            let own = try await self.started(gateway, "subscription { appointmentChanged { id patientId } }", principal: Self.patientOne)
            let filtered = try await self.started(gateway, #"subscription { appointmentChanged(patientId: "7") { id } }"#)
            let forbidden = await self.start(gateway, #"subscription { appointmentChanged(patientId: "2") { id } }"#, principal: Self.patientOne)
            #expect(self.refusalCode(forbidden) == "FORBIDDEN")
            for (id, patient) in [("a", "2"), ("b", "7"), ("c", "1")] {
                await bus.publish(GatewayEvent(topic: "appointment.changed", entity: Self.appointment(id: id, patientID: patient), origin: bus.origin))
            }
            var ownResults = own.results.makeAsyncIterator()
            var filteredResults = filtered.results.makeAsyncIterator()
            // The first event each receives is the first they may and asked to see.
            #expect(await ownResults.next()?.data == ["appointmentChanged": ["id": "c", "patientId": "1"]])
            #expect(await filteredResults.next()?.data == ["appointmentChanged": ["id": "b"]])
            own.cancel()
            filtered.cancel()
        }
    }

    @Test("an event's unexpected errors are masked in production like any operation's")
    func eventErrorsMasked() async throws {
        let bus = LocalEventBus()
        try await withGateway(subscriptions: SubscriptionHub(bus: bus), configure: { $0.maskUnexpectedErrors = true }) { _, gateway in
            let subscription = try await self.started(gateway, "subscription { appointmentChanged { id date } }")
            // A service's event without the non-null `date`: an error nobody planned for.
            await bus.publish(GatewayEvent(topic: "appointment.changed", entity: ["id": "x", "patientId": "1"], origin: bus.origin))
            var results = subscription.results.makeAsyncIterator()
            let event = await results.next()
            #expect(event?.errors.first?.extensions["code"] == "UNEXPECTED_FIELD_ERROR")
            #expect(event?.errors.first?.message.hasPrefix("Internal error (UNEXPECTED_FIELD_ERROR); reference") == true)
            subscription.cancel()
        }
    }

    @Test("refused: anonymous callers, plain POSTs of a subscription, a second root field, and callers past their limit")
    func refusals() async throws {
        var limits = SubscriptionLimits()
        limits.perPrincipal = 2
        let hub = SubscriptionHub(bus: LocalEventBus(), limits: limits)
        try await withGateway(subscriptions: hub) { _, gateway in
            let query = "subscription { labOrderResulted { id status } }"
            #expect(self.refusalCode(await self.start(gateway, query, principal: .anonymous)) == "UNAUTHENTICATED")
            let plain = await gateway.execute(GatewayRequest(query: query, principal: .clinician("dr-sub")))
            #expect(plain.result.errors.first?.extensions["code"] == "SUBSCRIPTION_NEEDS_STREAM")
            #expect(plain.result.data == nil)
            guard case .refused(let twoFields) = await self.start(gateway, "subscription { labOrderResulted { id } appointmentChanged { id } }") else {
                Issue.record("two root fields were accepted")
                return
            }
            #expect(twoFields.errors.first?.message.contains("must select only one top level field") == true)
            let first = try await self.started(gateway, query)
            let second = try await self.started(gateway, query)
            #expect(self.refusalCode(await self.start(gateway, query)) == "TOO_MANY_SUBSCRIPTIONS")
            // Another caller has a count of their own; ending one frees a place.
            let other = try await self.started(gateway, query, principal: .clinician("dr-other"))
            first.cancel()
            let third = try await self.started(gateway, query)
            for subscription in [second, other, third] { subscription.cancel() }
            #expect(hub.openCount == 0)
        }
    }

    @Test("a schema reload and an expiring token each end a subscription with a last error saying why")
    func endings() async throws {
        let hub = SubscriptionHub(bus: LocalEventBus())
        try await withGateway(subscriptions: hub) { _, gateway in
            let runtime = GatewayRuntime(gateway)
            let subscription = try await self.started(runtime.current, "subscription { appointmentChanged { id } }")
            guard case .success = runtime.reload(from: repositoryRoot + "/Schema") else {
                Issue.record("the schema did not reload")
                return
            }
            var results = subscription.results.makeAsyncIterator()
            let last = await results.next()
            #expect(last?.errors.first?.extensions["code"] == "SCHEMA_RELOADED")
            #expect(await results.next() == nil)
            let expiring = Principal(subject: "dr-brief", role: .clinician, expiresAt: Date().addingTimeInterval(0.2))
            let brief = try await self.started(runtime.current, "subscription { appointmentChanged { id } }", principal: expiring)
            var briefResults = brief.results.makeAsyncIterator()
            let ended = await briefResults.next()
            #expect(ended?.errors.first?.extensions["code"] == "UNAUTHENTICATED")
            #expect(ended?.errors.first?.message.contains("expired") == true)
            #expect(await briefResults.next() == nil)
            #expect(hub.openCount == 0)
        }
    }
}

enum SubscriptionTestError: Error {
    case refused([String])
}
