import ServiceContextModule

/// What identifies a span across processes (W3C trace context): trace and span ids, the sampled
/// flag, the vendor `tracestate` passed through, and whether it came from another process.
public struct SpanContext: Hashable, Sendable {
    public let traceID: TraceID
    public let spanID: SpanID
    /// W3C trace flags; bit 0 is "sampled".
    public let flags: UInt8
    /// The `tracestate` header as received (already checked), passed on unchanged.
    public let traceState: String?
    /// Extracted from a request (a remote parent), not made here.
    public let isRemote: Bool

    public init(traceID: TraceID, spanID: SpanID, flags: UInt8, traceState: String?, isRemote: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    public var isSampled: Bool { self.flags & 0x01 != 0 }
}

/// The current span's `SpanContext` in a `ServiceContext`, boxed in a class: a context stores
/// values as existentials, and reading one back is then a class cast, not a copy out of a box.
enum SpanContextKey: ServiceContextKey {
    typealias Value = SpanContextBox
    static var nameOverride: String? { "nilecare-span-context" }
}

final class SpanContextBox: Sendable {
    let value: SpanContext

    init(_ value: SpanContext) {
        self.value = value
    }
}

/// The W3C `baggage` header as received, passed on to downstream calls unchanged.
enum BaggageKey: ServiceContextKey {
    typealias Value = String
    static var nameOverride: String? { "nilecare-baggage" }
}

extension ServiceContext {
    /// The span context of the span this context belongs to (or of the remote parent), if any.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self]?.value }
        set { self[SpanContextKey.self] = newValue.map(SpanContextBox.init) }
    }

    /// The W3C baggage carried with this context, unparsed.
    public var baggage: String? {
        get { self[BaggageKey.self] }
        set { self[BaggageKey.self] = newValue }
    }
}
