import GraphQLEngine
import Synchronization

/// Turns plans into the engine's resolvers: a `@fetch` field queues every parent's key (batched
/// endpoints) or URL (unbatched ones) on the request's loaders once per level; mutations POST
/// their input.
enum FetchResolvers {
    static func resolver(for plan: FetchPlan) -> BatchFieldResolver {
        { sources, arguments, info, batch in
            let context = try GatewayContext.of(info)
            if let rule = plan.access, let denial = rule.denial(for: context.principal, arguments: arguments, coordinate: plan.coordinate) {
                context.loaders.noteDenial(count: sources.count)
                throw denial
            }
            guard plan.batchParam != nil else {
                let urls = sources.indices.map { (index: $0, url: fillTemplate(plan, source: sources[$0], arguments: arguments)) }
                context.loaders.load(plan, urls: urls, into: batch)
                return
            }
            var keys: [(index: Int, key: String)] = []
            keys.reserveCapacity(sources.count)
            var denials = 0
            // A key that is itself an owner id (`patient(id:)`) and not the caller's is refused
            // before any call: the answer is the same whether or not that patient exists. Decided
            // once per batch whether keys are checked at all (only for a caller held to their own data).
            let principal = context.principal
            let ownerRule = plan.access.flatMap { $0.ownerField == plan.matchOn && $0.restrictsToOwner(principal) ? $0 : nil }
            // Where the key comes from, decided once: an argument (the same for every parent) or a
            // field of each parent.
            var parentField: String?
            var argumentKey: String?
            switch plan.key {
            case .argument(let name)?: argumentKey = arguments[name].flatMap(keyString)
            case .parentField(let name)?: parentField = name
            case nil: break
            }
            // Each parent borrowed in place (an array subscript copies it: retains and releases of
            // the shape every parent of the level shares).
            sources.withUnsafeBufferPointer { sources in
                for index in sources.indices {
                    let key = if let parentField { plan.parentKeyValue(sources[index], parentField).flatMap(keyString) } else { argumentKey }
                    guard let key else {
                        batch.fill(index, plan.emptyAnswer)
                        continue
                    }
                    if let rule = ownerRule, !rule.mayAsk(forOwner: key, principal) {
                        denials += 1
                        batch.fail(index, AccessRule.forbidden(plan.coordinate))
                        continue
                    }
                    keys.append((index, key))
                }
            }
            if denials > 0 { context.loaders.noteDenial(count: denials) }
            context.loaders.load(plan, keys: keys, into: batch)
        }
    }

    static func resolver(for plan: MutationPlan) -> FieldResolver {
        { _, arguments, info in
            let context = try GatewayContext.of(info)
            if let rule = plan.access, let denial = rule.denial(for: context.principal, arguments: arguments, coordinate: "\(info.parentType.name).\(info.fieldName)") {
                context.loaders.noteDenial()
                throw denial
            }
            if plan.access != nil { context.loaders.statistics.withLock { $0.touchedPHI = true } }
            let input = arguments["input"] ?? .null
            return .async {
                guard context.loaders.takeCall() else { throw context.loaders.budgetExhausted }
                context.loaders.statistics.withLock { $0.calls[plan.service, default: 0] += 1 }
                let answer: Value
                do throws(DownstreamError) {
                    answer = try await context.client.post(plan.service, plan.path, body: input, headers: context.headers)
                } catch {
                    throw error.graphQLError
                }
                // Applied only after the write succeeded, and for every replica sharing the store.
                if let cache = context.cache, !plan.invalidations.isEmpty {
                    await cache.store.invalidate(tags: invalidationTags(plan, arguments: arguments))
                }
                guard let created = singleItem(answer), created != .null else { throw DownstreamError.badShape(plan.service).graphQLError }
                // Subscribers hear of it once the write succeeded, on every replica.
                if let bus = context.events {
                    for topic in plan.publishes { await bus.publish(GatewayEvent(topic: topic, entity: created, origin: bus.origin)) }
                }
                return created
            }
        }
    }

    /// The cache tags a successful mutation drops: `Patient.appointments:17` for a keyed
    /// invalidation (key read from the arguments), `Query.patients` for a whole field.
    static func invalidationTags(_ plan: MutationPlan, arguments: [String: Value]) -> [String] {
        plan.invalidations.map { invalidation in
            guard let path = invalidation.keyPath else { return invalidation.field }
            var value: Value? = .object(arguments)
            for component in path { value = value?[component] }
            guard let key = value.flatMap(keyString) else { return invalidation.field }
            return "\(invalidation.field):\(key)"
        }
    }

    /// The path with each `{name}` replaced by the argument (or parent field) `name`.
    static func fillTemplate(_ plan: FetchPlan, source: Value, arguments: [String: Value]) -> String {
        plan.template.filled { name in
            let value = arguments[name] ?? plan.parentValue(source, name) ?? .null
            switch value {
            case .null: return ""
            case .string(let string): return string
            case .int(let int): return String(int)
            case .bool(let bool): return bool ? "true" : "false"
            default: return value.jsonString
            }
        }
    }
}
