import Tracing

/// A span that has ended, as it is exported: immutable, so the exporter reads it without locks.
struct FinishedSpan: Sendable {
    let context: SpanContext
    let parentSpanID: SpanID?
    /// The parent came from another process (OTLP records this in the span's flags).
    let parentIsRemote: Bool
    let name: String
    let kind: SpanKind
    let startNanoseconds: UInt64
    let endNanoseconds: UInt64
    let attributes: SpanAttributes
    let events: [SpanEvent]
    let links: [(context: SpanContext, attributes: SpanAttributes)]
    let status: SpanStatus?
    /// Events and links past the per-span limit, not kept.
    let droppedEvents: Int
    let droppedLinks: Int
}

