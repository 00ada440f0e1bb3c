import GraphQLEngine
import Synchronization

/// Stage 3: what a call or the cache returned reaches the fields waiting for it, under each
/// field's `@auth` rule, with the patients it belongs to noted for the audit log.
extension RequestLoaders {
    /// What deliveries of one batch found about access, recorded in the statistics at once.
    struct AccessTally {
        var touchedPHI = false
        var denials = 0
        var owners: [String] = []
    }

    /// Fills every slot waiting for the key at `position`: all matches for list fields, the first
    /// for single ones; FORBIDDEN instead when the data belongs to another patient than the caller.
    func deliver(_ found: [Value], at position: Int, in queue: LoaderQueue, tally: inout AccessTally) {
        let plan = queue.plan
        if let rule = plan.access {
            let delivered = plan.returnsList ? found : Array(found.prefix(1))
            tally.touchedPHI = true
            // For a patient, "not yours" and "not there" are one answer (no existence oracle).
            let missingForPatient = delivered.isEmpty && !plan.returnsList && rule.restrictsToOwner(self.principal)
            if missingForPatient || !rule.permits(delivered, for: self.principal) {
                tally.denials += 1
                let failure = AccessRule.forbidden(plan.coordinate)
                queue.forEachWaiter(at: position) { $0.fail($1, failure) }
                return
            }
            if self.recordsOwners { tally.owners.append(contentsOf: rule.owners(of: delivered)) }
        }
        queue.fillWaiters(at: position, with: plan.returnsList ? .list(found) : (found.first ?? .null))
    }

    /// Checks `entities` against the plan's access rule, and notes the patients they belong to.
    func checkAccess(_ entities: [Value], _ plan: FetchPlan) -> GraphQLError? {
        guard let rule = plan.access else { return nil }
        var tally = AccessTally(touchedPHI: true)
        let permitted = rule.permits(entities, for: self.principal)
        if !permitted {
            tally.denials = 1
        } else if self.recordsOwners {
            tally.owners = rule.owners(of: entities)
        }
        self.record(tally)
        return permitted ? nil : AccessRule.forbidden(plan.coordinate)
    }

    func fill(_ call: SingleCall, with answer: Value) {
        self.fill(call, shaped: call.waiters.map { shapedValue(answer, for: $0.1) })
    }

    /// Fails every waiter of a call.
    func fail(_ call: SingleCall, with failure: GraphQLError) {
        self.singleCallDeliveries.withLock { _ in
            for (slot, _) in call.waiters { slot.fail(failure) }
        }
    }

    /// Fills each waiter with its field's shape of the answer (`nil`: not the shape it needs).
    /// The single calls of a level run concurrently and the parents of one field may wait on
    /// different URLs, so deliveries into one field's batch take turns.
    func fill(_ call: SingleCall, shaped: [Value?]) {
        self.singleCallDeliveries.withLock { _ in self.deliver(call, shaped: shaped) }
    }

    private func deliver(_ call: SingleCall, shaped: [Value?]) {
        for ((pending, plan), value) in zip(call.waiters, shaped) {
            guard let value else {
                pending.fail(DownstreamError.badShape(plan.service).graphQLError)
                continue
            }
            // The entities the field returns: the list's items, the envelope's `data`, or the item.
            let entities: [Value]
            if plan.keepsEnvelope {
                entities = listItems(value) ?? []
            } else if case .list(let items) = value {
                entities = items
            } else {
                entities = value == .null ? [] : [value]
            }
            if let failure = self.checkAccess(entities, plan) {
                pending.fail(failure)
            } else {
                pending.fill(value)
            }
        }
    }
}
