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
