/// The values of one field for every parent of a level, by the parent's position.
///
/// Made by the executor for a `BatchFieldResolver`; slots are filled by the resolver or, when the
/// level is dispatched, by the loader it handed them to. A slot left empty becomes a field error.
/// Filling and reading never overlap (the resolver runs, then the dispatch, then the executor
/// reads): a loader that fills one batch from concurrent tasks must make those fills take turns.
public final class FieldBatch: @unchecked Sendable {
    public typealias Slot = Result<Value, any Error>?

    /// The slots, in storage of their own: the executor moves each value out when it resumes the
    /// parent (no retain and release of a value it is about to complete).
    private let slots: UnsafeMutablePointer<Slot>
    /// How many parents the batch has.
    public let count: Int

    public init(count: Int) {
        self.count = max(count, 0)
        self.slots = .allocate(capacity: max(self.count, 1))
        self.slots.initialize(repeating: nil, count: self.count)
    }

    deinit {
        self.slots.deinitialize(count: self.count)
        self.slots.deallocate()
    }

    /// Fills a slot (an index outside the batch is ignored).
    public func fill(_ index: Int, _ value: Value) {
        guard index >= 0 && index < self.count else { return }
        self.slots[index] = .success(value)
    }

    /// Fills a slot of an unretained batch with a value the caller gives up (a loader delivering
    /// one answer per parent: no retain of the batch, no copy of the value).
    public static func fill(_ batch: Unmanaged<FieldBatch>, _ index: Int, _ value: consuming Value) {
        let (slots, count) = batch._withUnsafeGuaranteedRef { ($0.slots, $0.count) }
        guard index >= 0 && index < count else { return }
        slots[index] = .success(value)
    }

    /// Fails a slot (an index outside the batch is ignored).
    public func fail(_ index: Int, _ error: any Error) {
        guard index >= 0 && index < self.count else { return }
        self.slots[index] = .failure(error)
    }

    /// Fails every slot not filled yet.
    public func failOpen(_ error: any Error) {
        for index in 0..<self.count where self.slots[index] == nil { self.slots[index] = .failure(error) }
    }

    /// Whether a slot is still waiting for a loader.
    public var hasOpenSlots: Bool { (0..<self.count).contains { self.slots[$0] == nil } }

    /// A slot's result, moved out (the slot is open again afterwards).
    func take(_ index: Int) -> Slot {
        guard index >= 0 && index < self.count else { return nil }
        let slot = (self.slots + index).move()
        (self.slots + index).initialize(to: nil)
        return slot
    }

    /// One parent's slot, for a loader that fills slots of several batches.
    public func slot(_ index: Int) -> BatchSlot { BatchSlot(batch: self, index: index) }
}

/// One parent's slot of a `FieldBatch`.
public struct BatchSlot: Sendable {
    public let batch: FieldBatch
    public let index: Int

    public func fill(_ value: Value) { self.batch.fill(self.index, value) }
    public func fail(_ error: any Error) { self.batch.fail(self.index, error) }
}
