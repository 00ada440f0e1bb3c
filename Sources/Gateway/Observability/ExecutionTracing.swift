import Synchronization
import Tracing

/// The execution phase of one traced request, with spans only for work that leaves the process.
///
/// A request answered wholly from the in-process cache records its execution as attributes on
/// the request's span: a span of its own would cost more than the work it times (each
/// exported span is a few tens of microseconds here). The first level that needs a remote cache
/// or a downstream service opens the `GraphQL execute` span, dated back to when execution
/// started; the loader, downstream and Redis spans of that work are its children.
public final class ExecutionTracing: Sendable {
    private let requestSpan: any Span
    private let started: DefaultTracerClock.Instant
    private let executeSpan = Mutex<(any Span)?>(nil)
    private let inProcess = Mutex<(batches: Int, keys: Int, duration: Duration)>((0, 0, .zero))

    /// `nil` unless `requestSpan` records (no tracer, or not sampled: nothing to do).
    init?(requestSpan: any Span) {
        guard requestSpan.isRecording else { return nil }
        self.requestSpan = requestSpan
        self.started = DefaultTracerClock.now
    }

    /// Runs `work` (remote lookups, downstream calls) under the execute span, opening it first.
    func withExecuteSpan<T>(_ work: () async -> T) async -> T {
        let span = self.executeSpan.withLock { current -> any Span in
            if let current { return current }
            let opened = startSpan("GraphQL execute", at: self.started, context: self.requestSpan.context)
            current = opened
            return opened
        }
        return await ServiceContext.$current.withValue(span.context) { await work() }
    }

    /// A batch the in-process cache answered: counted, and noted on the request's span at the end
    /// (attributes, not an event per batch: events are exported per request too).
    func servedInProcess(batches: Int, keys: Int) {
        self.inProcess.withLock { counts in
            counts.batches += batches
            counts.keys += keys
        }
    }

    /// Ends the execute span if one was opened, and keeps the execution's duration for `record(into:)`.
    func finish(duration: Duration) {
        self.executeSpan.withLock { $0 }?.end()
        self.inProcess.withLock { $0.duration = duration }
    }

    /// The execution's attributes for the request's span: its duration, and what the in-process cache answered.
    func record(into attributes: inout SpanAttributes) {
        let counts = self.inProcess.withLock { $0 }
        attributes["graphql.execute.duration_ms"] = Double(counts.duration.nanoseconds) / 1_000_000
        if counts.batches > 0 {
            attributes["nilecare.loader.batches_in_process"] = counts.batches
            attributes["nilecare.loader.keys_in_process"] = counts.keys
        }
    }
}
