import Logging
import Tracing

/// The gateway's tracer, behind swift-distributed-tracing's `Tracer`: W3C trace context in and
/// out, OpenTelemetry samplers, and spans exported over OTLP/HTTP (protobuf) by one background
/// task (`exportService`, run it in the service group).
///
/// Ending a sampled span costs one lock and an append to a bounded buffer; when the buffer is full
/// spans are dropped and counted, and a request never waits for the exporter.
public final class NileTracer: Tracer, Sendable {
    public typealias Span = NileSpan

    public let sampler: Sampler
    private let ids = IDGenerator()
    private let buffer: SpanBuffer
    private let propagatesBaggage: Bool
    /// The task that exports finished spans.
    public let exportService: BatchSpanExportService

    public init(configuration: TracerConfiguration, logger: Logger = Logger(label: "nilecare.tracing")) {
        self.sampler = configuration.sampler
        self.propagatesBaggage = configuration.propagatesBaggage
        self.buffer = SpanBuffer(capacity: configuration.maxQueueSize, batchSize: configuration.maxExportBatchSize)
        let exporter = configuration.exportsSpans
            ? OTLPHTTPExporter(
                configuration: configuration,
                encoder: OTLPTraceEncoder(
                    serviceName: configuration.serviceName, resourceAttributes: configuration.resourceAttributes,
                    scopeName: "nilecare", scopeVersion: NileTracer.version),
                logger: logger)
            : nil
        self.exportService = BatchSpanExportService(buffer: self.buffer, exporter: exporter, scheduleDelay: configuration.scheduleDelay)
    }

    /// The tracer's version, exported as `telemetry.sdk.version`.
    public static let version = "1.0.0"

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind, at instant: @autoclosure () -> Instant,
        function: String, file fileID: String, line: UInt
    ) -> NileSpan {
        var context = context()
        let parent = context.spanContext
        let traceID = parent?.traceID ?? self.ids.traceID()
        let sampled = self.sampler.shouldSample(traceID: traceID, parent: parent)
        let spanContext = SpanContext(
            traceID: traceID, spanID: self.ids.spanID(), flags: sampled ? 0x01 : 0x00, traceState: parent?.traceState, isRemote: false)
        context.spanContext = spanContext
        return NileSpan(
            name: operationName, spanContext: spanContext, context: context, parent: parent, kind: kind, startNanoseconds: instant().nanosecondsSinceEpoch,
            sink: sampled ? self.buffer : nil)
    }

    /// Wakes the exporter to send what is buffered (it runs in its own task; this does not wait).
    public func forceFlush() {
        self.buffer.wakeExporter()
    }

    /// Reads `traceparent`/`tracestate` (and `baggage`) from an incoming request.
    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        if let traceparent = extractor.extract(key: W3CTraceContext.traceparent, from: carrier),
            let remote = W3CTraceContext.parse(traceparent: traceparent, tracestate: extractor.extract(key: W3CTraceContext.tracestate, from: carrier))
        {
            context.spanContext = remote
        }
        if self.propagatesBaggage, let baggage = extractor.extract(key: W3CTraceContext.baggage, from: carrier).flatMap(W3CTraceContext.checkedBaggage) {
            context.baggage = baggage
        }
    }

    /// Writes the current span's `traceparent`/`tracestate` (and the baggage received) into an outgoing request.
    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        if let spanContext = context.spanContext {
            injector.inject(W3CTraceContext.format(spanContext), forKey: W3CTraceContext.traceparent, into: &carrier)
            if let state = spanContext.traceState { injector.inject(state, forKey: W3CTraceContext.tracestate, into: &carrier) }
        }
        if self.propagatesBaggage, let baggage = context.baggage {
            injector.inject(baggage, forKey: W3CTraceContext.baggage, into: &carrier)
        }
    }
}

extension NileTracer {
    /// Finished spans waiting for export.
    var bufferedSpanCount: Int { self.buffer.count }
}
