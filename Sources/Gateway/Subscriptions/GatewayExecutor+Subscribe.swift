import Foundation
import GraphQLEngine
import Tracing

/// How a subscription request went: refused with a request error (nothing runs), or started.
public enum SubscriptionStart: Sendable {
    case refused(ExecutionResult)
    case started(GatewaySubscription)
}

extension GatewayExecutor {
    /// What a subscription's end says when its token expires.
    static let tokenExpiredMessage = "The token has expired: the subscription ended. Subscribe again with a new token."

    /// Whether `request` selects a subscription operation (the transports stream those; the
    /// document comes from the cache).
    public func isSubscription(_ request: GatewayRequest) -> Bool {
        guard let document = self.prepare(request.query).document else { return false }
        return self.operation(in: document, named: request.operationName)?.operation == .subscription
    }

    /// Starts a subscription: the document is checked like any request (limits, rate limits,
    /// validation), the caller must be allowed the field (`@auth`; a patient only for themselves),
    /// then every event of the field's topic that passes its argument filters and that the caller
    /// may see is resolved through the executor with the caller's selection. Events the caller may
    /// not see are not delivered at all (no error names them).
    public func subscribe(_ request: GatewayRequest) async -> SubscriptionStart {
        guard let hub = self.subscriptions else {
            return .refused(Self.refusal("Subscriptions are not served by this gateway.", code: "SUBSCRIPTIONS_OFF"))
        }
        let entry = self.prepare(request.query)
        guard let document = entry.document, entry.errors.isEmpty else { return .refused(ExecutionResult(requestErrors: entry.errors)) }
        let executionRequest = ExecutionRequest(
            schema: self.gatewaySchema.schema, document: document, operationName: request.operationName, variables: request.variables,
            source: entry.source, plans: entry.plans)
        let root: SubscriptionRootField
        switch subscriptionRootField(executionRequest) {
        case .found(let field): root = field
        case .refused(let result): return .refused(result)
        }
        guard let operation = self.operation(in: document, named: request.operationName), let plan = self.gatewaySchema.subscriptionPlans[root.fieldName]
        else { return .refused(Self.refusal("\(root.fieldName) has no source of events.", code: "BAD_REQUEST")) }
        if let violation = entry.facts.limitViolation(ofOperationNamed: request.operationName, operation, compute: {
            self.options.limits.violation(operation, fragments: document.fragments, variables: request.variables, schema: self.gatewaySchema.schema)
        }) {
            return .refused(ExecutionResult(requestErrors: [violation]))
        }
        if let limiter = self.options.rateLimiter {
            let admitted = await limiter.admit(
                principal: request.principal.rateLimitKey, role: request.principal.role?.rawValue ?? "anonymous", address: request.clientAddress, cost: 1)
            guard admitted.allowed else { return .refused(ExecutionResult(requestErrors: [Self.rateLimited(admitted)])) }
        }
        if let rule = plan.access {
            if let denial = rule.roleDenial(for: request.principal, coordinate: plan.coordinate) { return .refused(ExecutionResult(requestErrors: [denial])) }
            if let ownerField = rule.ownerField, let asked = root.arguments[ownerField].flatMap(keyString), !rule.mayAsk(forOwner: asked, request.principal) {
                return .refused(Self.refusal("Patients may only subscribe to their own events.", code: "FORBIDDEN"))
            }
        }
        if let expiry = request.principal.expiresAt, expiry <= Date() {
            return .refused(Self.refusal("The token has expired.", code: "UNAUTHENTICATED"))
        }
        let subscription = GatewaySubscription(buffer: hub.limits.eventBuffer)
        guard let id = hub.register(subscription, principal: request.principal.rateLimitKey) else {
            return .refused(
                Self.refusal(
                    "Too many open subscriptions (at most \(hub.limits.perPrincipal) per caller, \(hub.limits.total) in all): end one first.",
                    code: "TOO_MANY_SUBSCRIPTIONS"))
        }
        subscription.whenEnded { hub.unregister(id) }
        GatewayMetrics.subscriptionStarted(field: root.fieldName)
        let events = hub.bus.events(on: plan.topic)
        subscription.run { [self] in
            for await event in events {
                guard Self.passes(event.entity, filters: plan.filters, arguments: root.arguments) else { continue }
                if let expiry = request.principal.expiresAt, expiry <= Date() { break }
                // Authorized per event, on the entity itself: another patient's event is never delivered.
                if let rule = plan.access, !rule.permits([event.entity], for: request.principal) { continue }
                var eventRequest = request
                eventRequest.eventRoot = .object([root.fieldName: event.entity])
                // Recorded like any operation: metrics, span, unexpected errors reported (and masked in production).
                let started = ContinuousClock.now
                let response = await withSpanIfTracing("GraphQL subscription event \(root.fieldName)") { span in
                    var response = await self.executeAdmitted(eventRequest, entry, operation, span: span)
                    self.recordOutcome(&response, eventRequest, span: span, started: started)
                    return response
                }
                GatewayMetrics.subscriptionEvent(field: root.fieldName)
                subscription.yield(response.result)
            }
            if let expiry = request.principal.expiresAt, expiry <= Date() {
                subscription.end(message: Self.tokenExpiredMessage, code: "UNAUTHENTICATED")
            }
        }
        if let expiry = request.principal.expiresAt {
            // Ends it when the token expires, even if no event comes.
            let remaining = expiry.timeIntervalSinceNow
            if remaining.isFinite, remaining < 366 * 86_400 {
                subscription.run {
                    try? await Task.sleep(for: .milliseconds(Int64(max(0, remaining) * 1000) + 1))
                    guard !Task.isCancelled else { return }
                    subscription.end(message: Self.tokenExpiredMessage, code: "UNAUTHENTICATED")
                }
            }
        }
        return .started(subscription)
    }

    /// Whether `entity` matches every filter argument given (an absent or null argument matches all).
    static func passes(_ entity: Value, filters: [String], arguments: [String: Value]) -> Bool {
        for name in filters {
            guard let wanted = arguments[name], wanted != .null else { continue }
            guard let value = entity[name].flatMap(keyString), value == keyString(wanted) else { return false }
        }
        return true
    }

    static func refusal(_ message: String, code: String) -> ExecutionResult {
        ExecutionResult(requestErrors: [GraphQLError(message, extensions: ["code": .string(code)])])
    }
}
