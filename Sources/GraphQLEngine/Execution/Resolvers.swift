/// Resolves one field of one parent value.
///
/// Return `.value` when the answer is at hand, `.pending` for a value a batch loader will fill
/// when the executor dispatches the current level, or `.async` for any other asynchronous work.
/// Throwing makes a field error at this field's path.
public typealias FieldResolver = @Sendable (_ source: Value, _ arguments: [String: Value], _ info: ResolveInfo) throws
    -> Resolved

/// Resolves one field for every parent of a level at once: `sources` are the parents in the order
/// the executor reached them, and slot `i` of `batch` receives the value (or error) of parent `i`.
///
/// Called once per field (per selection of it) per level, after the executor has walked everything
/// it can: fill the slots whose answer is at hand and hand the rest to a loader, which fills them
/// when the execution's `BatchDispatcher` dispatches the level. Throwing fails every slot with that
/// error. `info` describes the field; its `path` is the first parent's.
public typealias BatchFieldResolver = @Sendable (_ sources: [Value], _ arguments: [String: Value], _ info: ResolveInfo, _ batch: FieldBatch) throws
    -> Void

/// Finds the name of the concrete object type of a value of an abstract type.
public typealias TypeResolver = @Sendable (_ value: Value, _ info: ResolveInfo) -> String?

/// What a resolver returns.
public enum Resolved: Sendable {
    /// The field's value, now.
    case value(Value)
    /// A value that the execution's `BatchDispatcher` fills when the current level is dispatched.
    case pending(PendingValue)
    /// A value computed asynchronously; every `.async` of a level runs concurrently.
    case async(@Sendable () async throws -> Value)
}

/// A slot that a batch loader fills once its batch is loaded.
///
/// Created by a resolver, filled by the `BatchDispatcher` during `dispatch()`, read by the
/// executor after `dispatch()` returns. A slot left empty becomes a field error. Those steps never
/// overlap, so the slot skips dynamic exclusivity checks (one per parent per batched field).
public final class PendingValue: @unchecked Sendable {
    @exclusivity(unchecked) public private(set) var result: Result<Value, any Error>?

    public init() {}

    public func fill(_ value: Value) { self.result = .success(value) }
    public func fail(_ error: any Error) { self.result = .failure(error) }
}

/// Loads every pending value queued during one level of execution.
///
/// The executor runs all the synchronous work it can (every field of every item of every list
/// it has reached), then calls `dispatch()` once, then continues with the filled values: one
/// downstream call per loader per level, never one per item.
public protocol BatchDispatcher: Sendable {
    /// Fills (or fails) every `PendingValue` handed out since the last call.
    func dispatch() async
}
