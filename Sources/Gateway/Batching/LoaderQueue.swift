import GraphQLEngine

/// One field's keys of the current level, in first-seen order, with the batch slots waiting for
/// each. Filled under the loaders' lock while the level is resolved, then read-only once
/// dispatched: its properties skip dynamic exclusivity checks (one per parent per batched field).
final class LoaderQueue: @unchecked Sendable {
    let plan: FetchPlan
    /// For a subgraph field: what the subgraph is asked for (one queue per field and selection).
    let selection: SubgraphSelection?
    /// The distinct keys, in first-seen order, with their positions.
    @exclusivity(unchecked) private var index = OrderedKeys()
    var keys: [String] { self.index.keys }
    /// The batches whose slots wait here (most often one: the field's), by number.
    /// Each retained once by the queue (released in `deinit`), so that filling a slot retains nothing.
    @exclusivity(unchecked) private var batches: [Unmanaged<FieldBatch>] = []
    /// The slots waiting, in one array (a batch's number and the slot's index in it: no reference
    /// counted per parent): each key's first and last slot, and each slot's next (-1: none). A key
    /// many parents share (a provider) costs no array of its own.
    @exclusivity(unchecked) private var waiters: [Waiter] = []
    @exclusivity(unchecked) private var first: [Int32] = []
    @exclusivity(unchecked) private var last: [Int32] = []
    @exclusivity(unchecked) private var next: [Int32] = []

    init(plan: FetchPlan, selection: SubgraphSelection? = nil) {
        self.plan = plan
        self.selection = selection
    }

    deinit {
        for batch in self.batches { batch.release() }
    }

    private struct Waiter {
        let batch: Int32
        let index: Int32
    }

    /// Queues each parent's key with its slot of `batch`.
    func add(_ keys: [(index: Int, key: String)], to batch: FieldBatch) {
        let batchNumber: Int32
        if let last = self.batches.last, last.toOpaque() == Unmanaged.passUnretained(batch).toOpaque() {
            batchNumber = Int32(self.batches.count - 1)
        } else {
            batchNumber = Int32(self.batches.count)
            self.batches.append(Unmanaged.passRetained(batch))
        }
        // Room for every key as new, made once (growing one append at a time reallocated each
        // array about log2(n) times).
        self.index.reserveCapacity(self.index.count + keys.count)
        Self.reserve(&self.waiters, extra: keys.count)
        Self.reserve(&self.next, extra: keys.count)
        Self.reserve(&self.first, extra: keys.count)
        Self.reserve(&self.last, extra: keys.count)
        for (index, key) in keys { self.add(key, Waiter(batch: batchNumber, index: Int32(truncatingIfNeeded: index))) }
    }

    /// Room for `extra` more elements, at least doubling when it grows (repeated exact
    /// reservations would copy the array on every call).
    private static func reserve<Element>(_ array: inout [Element], extra: Int) {
        let needed = array.count + extra
        if array.capacity < needed { array.reserveCapacity(max(needed, 2 * array.capacity)) }
    }

    private func add(_ key: String, _ waiter: Waiter) {
        let slot = Int32(self.waiters.count)
        self.waiters.append(waiter)
        self.next.append(-1)
        let (position, inserted) = self.index.insert(key)
        if inserted {
            self.first.append(slot)
            self.last.append(slot)
        } else {
            self.next[Int(self.last[position])] = slot
            self.last[position] = slot
        }
    }

    /// Fills the slot of every parent waiting for the key at `position` with `value` (the last one
    /// takes it: a key most often has one parent, whose slot then costs no copy).
    func fillWaiters(at position: Int, with value: consuming Value) {
        var slot = Int(self.first[position])
        while slot >= 0 {
            let waiter = self.waiters[slot]
            let next = Int(self.next[slot])
            let batch = self.batches[Int(waiter.batch)]
            if next < 0 {
                FieldBatch.fill(batch, Int(waiter.index), value)
                return
            }
            FieldBatch.fill(batch, Int(waiter.index), copy value)
            slot = next
        }
    }

    /// Calls `body` with the batch and slot index of every parent waiting for the key at `position`.
    func forEachWaiter(at position: Int, _ body: (FieldBatch, Int) -> Void) {
        var slot = Int(self.first[position])
        while slot >= 0 {
            let waiter = self.waiters[slot]
            body(self.batches[Int(waiter.batch)].takeUnretainedValue(), Int(waiter.index))
            slot = Int(self.next[slot])
        }
    }
}
