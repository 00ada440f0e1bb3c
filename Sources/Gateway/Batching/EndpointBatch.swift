import GraphQLEngine

/// The distinct keys of an endpoint's calls at one level, and where each stands among them: what
/// the calls find is kept by that position, matched once per item.
struct FetchKeys: Sendable {
    var keys: [String] = []
    var positions: [String: Int] = [:]
}

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

    /// The distinct keys still to fetch, in first-seen order (one hash per lane's key, a second
    /// for a key seen before).
    var keysToFetch: FetchKeys {
        var fetch = FetchKeys()
        let total = self.lanes.reduce(0) { $0 + $1.positions.count }
        fetch.keys.reserveCapacity(total)
        fetch.positions.reserveCapacity(total)
        for lane in self.lanes {
            for position in lane.positions {
                let key = lane.queue.keys[position]
                if let earlier = fetch.positions.updateValue(fetch.keys.count, forKey: key) {
                    fetch.positions[key] = earlier
                } else {
                    fetch.keys.append(key)
                }
            }
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
