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

    /// A slot's storage; `nil` for an index outside the batch (a resolver's or loader's mistake is
    /// ignored, never a trap).
    private func address(_ index: Int) -> UnsafeMutablePointer<Slot>? {
        index >= 0 && index < self.count ? self.slots + index : nil
    }

    /// Fills a slot.
    public func fill(_ index: Int, _ value: Value) {
        self.address(index)?.pointee = .success(value)
    }

    /// Fills a slot of an unretained batch with a value the caller gives up (a loader delivering
    /// one answer per parent: no retain of the batch, no copy of the value).
    public static func fill(_ batch: Unmanaged<FieldBatch>, _ index: Int, _ value: consuming Value) {
        batch._withUnsafeGuaranteedRef { $0.address(index) }?.pointee = .success(value)
    }

    /// Fails a slot.
    public func fail(_ index: Int, _ error: any Error) {
        self.address(index)?.pointee = .failure(error)
    }

    /// Fails every slot not filled yet.
    public func failOpen(_ error: any Error) {
        for index in 0..<self.count where self.slots[index] == nil { self.slots[index] = .failure(error) }
    }

    /// Whether a slot is still waiting for a loader.
    public var hasOpenSlots: Bool { (0..<self.count).contains { self.slots[$0] == nil } }

    /// A slot's result, moved out (the slot is open again afterwards).
    func take(_ index: Int) -> Slot {
        guard let address = self.address(index) else { return nil }
        let slot = address.move()
        address.initialize(to: nil)
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
