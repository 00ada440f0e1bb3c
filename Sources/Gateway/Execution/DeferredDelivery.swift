import GraphQLEngine
import Synchronization

/// The `@defer`red part of a response still to deliver: each `next()` runs one deferred group
/// (under the request's deadline, through its loaders and call budget) and returns its payload.
/// Closing it — after the last payload, or when the client goes away — writes the request's
/// audit record with everything the request touched, deferred payloads included.
public final class DeferredDelivery: @unchecked Sendable {
    private let execution: IncrementalExecution
    private let deadline: ContinuousClock.Instant
    private let onClose: @Sendable () -> Void
    private let closed = Mutex(false)

    init(execution: IncrementalExecution, deadline: ContinuousClock.Instant, onClose: @escaping @Sendable () -> Void) {
        self.execution = execution
        self.deadline = deadline
        self.onClose = onClose
    }

    /// The fragments the initial payload announces.
    public var pending: [IncrementalExecution.Pending] { self.execution.pending }

    /// The next payload; `nil` once all are delivered. One caller at a time.
    public func next() async -> IncrementalExecution.Subsequent? {
        let payload = await RequestDeadline.$current.withValue(self.deadline) { await self.execution.next() }
        if payload?.hasNext != true { self.close() }
        return payload
    }

    /// Ends the delivery (idempotent): the audit record is written once.
    public func close() {
        let first = self.closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first { self.onClose() }
    }
}
