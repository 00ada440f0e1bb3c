import GraphQLEngine

/// Where a subscription field's events come from (`@event(topic:)`) and who may receive them.
public struct SubscriptionPlan: Sendable {
    public let topic: String
    /// The arguments that filter events: an event is delivered when, for each one given, the
    /// entity's field of the same name holds the same id or value.
    public let filters: [String]
    /// From `@auth` on the field or its type: checked when subscribing and on every event.
    public let access: AccessRule?
    public let coordinate: String
}

extension SchemaDirectiveLoader {
    /// `@event(topic:)` on a field of the subscription type.
    mutating func loadEvent(_ directive: Directive, _ field: GraphQLField, _ type: GraphQLNamedType) {
        guard type === self.schema.subscriptionType else {
            self.fail("@event belongs on fields of the subscription type", directive, field, type)
            return
        }
        guard let topic = self.string(directive, "topic"), !topic.isEmpty else {
            self.fail("@event needs a topic", directive, field, type)
            return
        }
        let entityType = field.type.namedType
        guard entityType.kind == .object else {
            self.fail("an event's field must return an object type (the event's entity)", directive, field, type)
            return
        }
        for argument in field.arguments where entityType.field(argument.name) == nil {
            self.fail("argument \"\(argument.name)\" filters events by the entity's field of that name, which \(entityType.name) lacks", directive, field, type)
            return
        }
        self.subscriptionPlans[field.name] = SubscriptionPlan(
            topic: topic, filters: field.arguments.map(\.name), access: self.accessRule(field, type), coordinate: "\(type.name).\(field.name)")
    }

    /// Every subscription field needs a source of events; `@publishes` goes with `@mutate`.
    mutating func checkEventSources() {
        if let subscriptionType = self.schema.subscriptionType {
            for field in subscriptionType.fields where self.subscriptionPlans[field.name] == nil {
                self.errors.append(
                    GraphQLError(
                        "\(subscriptionType.name).\(field.name) needs @event(topic:): nothing would ever be delivered to it", source: self.source,
                        offsets: field.definition.map { [$0.location.start] } ?? []))
            }
        }
        for type in self.schema.types where type.kind == .object {
            for field in type.fields {
                for use in field.definition?.directives ?? [] where use.name.value == "publishes" && self.mutationPlans[ObjectIdentifier(field)] == nil {
                    self.fail("@publishes goes with @mutate (it publishes the mutation's result)", use, field, type)
                }
            }
        }
    }

    /// The topics `@publishes(topic:)` names on a mutation field.
    func publishedTopics(_ field: GraphQLField) -> [String] {
        (field.definition?.directives ?? []).filter { $0.name.value == "publishes" }.compactMap { self.string($0, "topic") }
    }
}
