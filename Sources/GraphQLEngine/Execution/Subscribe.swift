/// The source stream a subscription operation asks for: its one root field, as CreateSourceEventStream
/// reads it (the host maps the field to its events; each event then runs through `execute` with the
/// event as the root value, as MapSourceToResponseEvent says).
///
/// See https://spec.graphql.org/October2021/#sec-Subscription
public struct SubscriptionRootField: Sendable {
    /// The field of the subscription type (`appointmentChanged`).
    public let fieldName: String
    /// Where its value goes in each event's `data` (the alias, or the name).
    public let responseKey: String
    /// Its coerced arguments (variables applied, defaults filled in).
    public let arguments: [String: Value]
}

/// A subscription's root field, or the request error that refuses the operation.
public enum SubscriptionRootFieldLookup: Sendable {
    case found(SubscriptionRootField)
    case refused(ExecutionResult)
}

/// The root field of a subscription operation, or the request error that refuses it (an unknown
/// operation, bad variables, not a subscription, or `@skip`/`@include` leaving no root field).
public func subscriptionRootField(_ request: ExecutionRequest) -> SubscriptionRootFieldLookup {
    let state: ExecutionState
    switch prepareExecution(request) {
    case .ready(let prepared): state = prepared
    case .failed(let result): return .refused(result)
    }
    guard state.operation.operation == .subscription else {
        return .refused(ExecutionResult(requestErrors: [GraphQLError("The operation is a \(state.operation.operation.rawValue), not a subscription.")]))
    }
    let groups = state.compiled.root.groups
    guard groups.count == 1, let group = groups.first else {
        return .refused(ExecutionResult(requestErrors: [GraphQLError("A subscription must select exactly one root field.")]))
    }
    switch state.arguments(for: group) {
    case .success(let arguments):
        return .found(SubscriptionRootField(fieldName: group.fieldName, responseKey: group.responseKey, arguments: arguments))
    case .failure(let error):
        return .refused(ExecutionResult(requestErrors: [error]))
    }
}
