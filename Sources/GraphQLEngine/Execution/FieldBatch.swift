/// The values of one field for every parent of a level, by the parent's position.
///
/// Made by the executor for a `BatchFieldResolver`; slots are filled by the resolver or, when the
/// level is dispatched, by the loader it handed them to. A slot left empty becomes a field error.
/// Filling and reading never overlap (the resolver runs, then the dispatch, then the executor
/// reads), so the slots skip dynamic exclusivity checks: a loader that fills one batch from
/// concurrent tasks must make those fills take turns.
public final class FieldBatch: @unchecked Sendable {
    @exclusivity(unchecked) public private(set) var results: [Result<Value, any Error>?]

    public init(count: Int) {
        self.results = Array(repeating: nil, count: count)
    }

    public func fill(_ index: Int, _ value: Value) { self.results[index] = .success(value) }
    public func fail(_ index: Int, _ error: any Error) { self.results[index] = .failure(error) }

    /// Fails every slot not filled yet.
    public func failOpen(_ error: any Error) {
        for index in self.results.indices where self.results[index] == nil { self.results[index] = .failure(error) }
    }

    /// Whether a slot is still waiting for a loader.
    public var hasOpenSlots: Bool { self.results.contains { $0 == nil } }

    /// One slot, for a loader that fills slots of several batches.
    public func slot(_ index: Int) -> BatchSlot { BatchSlot(batch: self, index: index) }
}

/// One parent's slot of a `FieldBatch`.
public struct BatchSlot: Sendable {
    public let batch: FieldBatch
    public let index: Int

    public func fill(_ value: Value) { self.batch.fill(self.index, value) }
    public func fail(_ error: any Error) { self.batch.fail(self.index, error) }
}
