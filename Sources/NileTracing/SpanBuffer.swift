import Metrics
import Synchronization

/// Finished spans waiting for export: bounded, under one lock, never blocking the span that ends.
///
/// Ending a span appends it; when the buffer holds a full batch the exporter is woken (once per
/// batch, not per span). When the buffer is full the span is dropped and counted in
/// `tracing_spans_dropped_total{reason="queue_full"}`.
final class SpanBuffer: Sendable {
    let capacity: Int
    let batchSize: Int
    private let state: Mutex<State>
    private let droppedFull = Counter(label: "tracing_spans_dropped_total", dimensions: [("reason", "queue_full")])

    private struct State {
        var spans: [FinishedSpan] = []
        /// The exporter, waiting for a full batch (or for the buffer to close).
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }

    init(capacity: Int, batchSize: Int) {
        self.capacity = max(1, capacity)
        self.batchSize = min(max(1, batchSize), self.capacity)
        var state = State()
        state.spans.reserveCapacity(min(self.capacity, 4096))
        self.state = Mutex(state)
    }

    /// Queues `span`; drops it when the buffer is full.
    func append(_ span: FinishedSpan) {
        let (waiter, accepted) = self.state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool) in
            guard state.spans.count < self.capacity else { return (nil, false) }
            state.spans.append(span)
            guard state.spans.count >= self.batchSize, let waiter = state.waiter else { return (nil, true) }
            state.waiter = nil
            return (waiter, true)
        }
        if !accepted { self.droppedFull.increment() }
        waiter?.resume()
    }

    /// Up to `batchSize` of the oldest spans, removed from the buffer.
    func takeBatch() -> [FinishedSpan] {
        self.state.withLock { state in
            guard state.spans.count > self.batchSize else {
                defer { state.spans.removeAll(keepingCapacity: true) }
                return state.spans
            }
            let batch = Array(state.spans.prefix(self.batchSize))
            state.spans.removeFirst(self.batchSize)
            return batch
        }
    }

    var count: Int { self.state.withLock { $0.spans.count } }

    var isClosed: Bool { self.state.withLock { $0.closed } }

    /// Returns when a full batch is waiting, the buffer is closed, or the task is cancelled.
    func waitForFullBatch() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = self.state.withLock { state -> Bool in
                    if state.closed || state.spans.count >= self.batchSize || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            self.wakeExporter()
        }
    }

    /// Closes the buffer (at shutdown): the exporter stops waiting and exports what is left.
    func close() {
        self.state.withLock { $0.closed = true }
        self.wakeExporter()
    }

    /// Wakes the exporter if it is waiting (a flush).
    func wakeExporter() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
