import Synchronization

/// Resolution by level: a field with a `BatchFieldResolver` is not resolved where the walk meets
/// it; its parents are parked in one bucket per field group, and once the walk of the level is
/// done each bucket's resolver runs once for all of them. No task, pending object or queue entry
/// per parent: a parent costs a node and a source appended to its bucket.
struct BatchBucket {
    /// The most parents a bucket reserves room for ahead (a larger level grows as it goes).
    static let largestHint = 4_096

    let group: FieldGroup
    let resolve: BatchFieldResolver
    var nodes: [Int32] = []
    var sources: [Value] = []
}

extension ExecutionState {
    /// Parks one parent of a batched field until the level is resolved (`false`: the position failed).
    @inline(__always)
    func enqueueBatched(_ node: Int, _ group: FieldGroup, _ definition: GraphQLField, _ source: consuming Value) -> Bool {
        let id = Int(group.id)
        if id >= self.bucketOfGroup.count {
            self.bucketOfGroup.append(contentsOf: repeatElement(0, count: id + 1 - self.bucketOfGroup.count))
        }
        var at = Int(self.bucketOfGroup[id]) - 1
        if at < 0 {
            at = self.buckets.count
            // The resolver is taken once per bucket, not retained for every parent.
            guard let resolve = definition.batchResolve else {
                self.recordError("Field \(quoted: definition.name) has no batch resolver.", node: node, group: group)
                return self.failPosition(node)
            }
            // Room for as many parents as the field had the last time (a kept plan's field is
            // resolved by every request that runs it): no growing one parent at a time.
            var bucket = BatchBucket(group: group, resolve: resolve)
            let expected = group.batchSizeHint.load(ordering: .relaxed)
            if expected > 1 {
                bucket.nodes.reserveCapacity(expected)
                bucket.sources.reserveCapacity(expected)
            }
            self.buckets.append(bucket)
            self.bucketOfGroup[id] = Int32(at + 1)
        }
        self.buckets[at].nodes.append(Int32(node))
        self.buckets[at].sources.append(source)
        return true
    }

    /// The level's buckets; the next level's start empty.
    func takeBuckets() -> [BatchBucket] {
        let taken = self.buckets
        self.buckets = []
        for bucket in taken {
            self.bucketOfGroup[Int(bucket.group.id)] = 0
            bucket.group.batchSizeHint.store(min(bucket.nodes.count, BatchBucket.largestHint), ordering: .relaxed)
        }
        return taken
    }

    /// Runs a bucket's resolver once for all its parents. Argument errors and a thrown error fail
    /// every parent's slot (each parent's position gets the error, as a per-parent resolver's would).
    func resolve(_ bucket: BatchBucket) -> FieldBatch {
        let batch = FieldBatch(count: bucket.nodes.count)
        switch self.arguments(for: bucket.group) {
        case .failure(let error):
            batch.failOpen(error)
        case .success(let arguments):
            do {
                try bucket.resolve(bucket.sources, arguments, ResolveInfo(group: bucket.group, state: self, node: Int(bucket.nodes[0])), batch)
            } catch {
                batch.failOpen(error)
            }
        }
        return batch
    }

    /// Completes each parent's field with its slot of the batch.
    func resume(_ bucket: BatchBucket, _ batch: FieldBatch) {
        for (offset, node) in bucket.nodes.enumerated() {
            let result = batch.take(offset) ?? .failure(GraphQLError("The value of field \(quoted: "\(bucket.group.definition.name)") was never loaded."))
            self.resume(Int(node), bucket.group, with: result)
        }
    }
}
