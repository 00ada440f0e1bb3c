import Tracing

/// `withSpan`, or `body` at once with a no-op span when no tracer is installed.
///
/// Without a tracer `withSpan` only binds the unchanged service context, and that binding (a
/// task-local scope inside the tracer's generic async wrappers, compiled to hop to the generic
/// executor) costs executor hops, each a trip through the event loop's task queue
/// (BENCHMARKS.md, "Executor hops"). The tracer is looked up once.
func withSpanIfTracing<T>(
    _ name: @autoclosure () -> String, ofKind kind: SpanKind = .internal, _ body: (any Span) async throws -> T
) async rethrows -> T {
    let tracer = InstrumentationSystem.tracer
    guard tracer is NoOpTracer else {
        return try await tracer.withSpan(name(), ofKind: kind) { span in try await body(span) }
    }
    return try await body(NoOpTracer.NoOpSpan(context: ServiceContext.current ?? .topLevel))
}

extension Span {
    /// Sets attributes on a span that records them; a no-op or unsampled span drops them, so they
    /// are not made (a downstream call's three attributes were four allocations and a dictionary
    /// insert each, per call, with tracing off).
    func setAttributesIfRecording(_ update: (inout SpanAttributes) -> Void) {
        guard self.isRecording else { return }
        self.updateAttributes(update)
    }
}
