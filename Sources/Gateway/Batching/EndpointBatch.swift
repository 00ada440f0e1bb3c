import GraphQLEngine

/// One field's part in an endpoint's calls at one level: its queue, the positions of the keys the
/// caches have not answered, their cache keys (by position; empty when the field is not cached)
/// and expired entries still in their grace period (served only if the downstream fails).
struct LoaderLane: Sendable {
    let queue: LoaderQueue
    var positions: [Int]
    let cacheKeys: [String]
    var stale: [Int: [Value]]

    var plan: FetchPlan { self.queue.plan }
}

/// The lanes of one endpoint — (service, path, batch parameter, match key) — at one level: fields
/// that share the endpoint (`Appointment.provider` and `Medication.prescriber`) share its calls.
/// Their keys go out de-duplicated, in chunks of the batch size; each answer is matched back to
/// every lane that asked for its key, under that lane's own access rule and cache policy.
struct EndpointBatch: Sendable {
    var lanes: [LoaderLane]

    /// The plan whose service, path, batch parameter and match key every lane shares.
    var plan: FetchPlan { self.lanes[0].plan }

    /// The distinct keys still to fetch, in first-seen order: what the calls find is kept by each
    /// key's position there, matched once per item.
    var keysToFetch: OrderedKeys {
        var fetch = OrderedKeys()
        fetch.reserveCapacity(self.lanes.reduce(0) { $0 + $1.positions.count })
        for lane in self.lanes {
            let keys = lane.queue.keys
            for position in lane.positions { fetch.insert(keys[position]) }
        }
        return fetch
    }

    /// The level's queues grouped by endpoint, in the order the endpoints were first queued.
    static func grouped(_ queues: [LoaderQueue]) -> [[LoaderQueue]] {
        var groups: [[LoaderQueue]] = []
        var index: [String: Int] = [:]
        for queue in queues {
            if let at = index[queue.plan.endpoint] {
                groups[at].append(queue)
            } else {
                index[queue.plan.endpoint] = groups.count
                groups.append([queue])
            }
        }
        return groups
    }

    /// How many distinct keys the queues of one endpoint hold together.
    static func distinctKeyCount(_ queues: [LoaderQueue]) -> Int {
        if queues.count == 1 { return queues[0].keys.count }
        var seen = Set<String>()
        for queue in queues { seen.formUnion(queue.keys) }
        return seen.count
    }
}
