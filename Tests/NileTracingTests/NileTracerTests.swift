import Testing
import Logging
import Tracing

@testable import NileTracing

private struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

private struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

@Suite struct NileTracerTests {
    private func tracer(_ environment: [String: String] = [:]) -> NileTracer {
        NileTracer(configuration: TracerConfiguration(environment: ["OTEL_TRACES_EXPORTER": "none"].merging(environment) { $1 }, defaultServiceName: "test"))
    }

    private func incoming(_ tracer: NileTracer, _ headers: [String: String]) -> ServiceContext {
        var context = ServiceContext.topLevel
        tracer.extract(headers, into: &context, using: DictionaryExtractor())
        return context
    }

    @Test func continuesTheCallersTraceAndPassesItOn() throws {
        let tracer = tracer()
        let context = incoming(tracer, [
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "rojo=1", "baggage": "tenant=clinic-7",
        ])
        let server = tracer.startSpan("HTTP POST", context: context, ofKind: .server)
        let client = tracer.startSpan("GET /api/v1/patients", context: server.context, ofKind: .client)
        var outgoing: [String: String] = [:]
        tracer.inject(client.context, into: &outgoing, using: DictionaryInjector())
        let clientSpan = try #require(client.context.spanContext)
        #expect(server.isRecording && client.isRecording)
        #expect(clientSpan.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(outgoing["traceparent"] == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(clientSpan.spanID.hex)-01")
        #expect(outgoing["tracestate"] == "rojo=1" && outgoing["baggage"] == "tenant=clinic-7")
        #expect(server.context.spanContext?.spanID != clientSpan.spanID)
    }

    @Test func anUnsampledCallerIsNotRecordedButStillPropagated() throws {
        let tracer = tracer()
        let context = incoming(tracer, ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"])
        let span = tracer.startSpan("HTTP GET", context: context, ofKind: .server)
        span.attributes["ignored"] = "yes"
        #expect(!span.isRecording && span.attributes.isEmpty)
        var outgoing: [String: String] = [:]
        tracer.inject(span.context, into: &outgoing, using: DictionaryInjector())
        #expect(try #require(outgoing["traceparent"]).hasSuffix("-00"))
        #expect(outgoing["traceparent"]?.contains("4bf92f3577b34da6a3ce929d0e0e4736") == true)
    }

    @Test func aMalformedTraceparentStartsANewTrace() throws {
        let tracer = tracer()
        let span = tracer.startSpan("HTTP GET", context: incoming(tracer, ["traceparent": "00-zz-00f067aa0ba902b7-01"]), ofKind: .server)
        let context = try #require(span.context.spanContext)
        #expect(context.traceID.hex != "4bf92f3577b34da6a3ce929d0e0e4736" && span.isRecording)
    }

    @Test func newTracesHaveDistinctIDs() {
        let tracer = tracer()
        let ids = Set((0..<10_000).compactMap { _ in tracer.startSpan("x", context: .topLevel, ofKind: .internal).context.spanContext?.traceID })
        #expect(ids.count == 10_000)
    }

    @Test func baggageIsNotPassedWhenThePropagatorIsOff() {
        let tracer = tracer(["OTEL_PROPAGATORS": "tracecontext"])
        let span = tracer.startSpan("x", context: incoming(tracer, ["baggage": "k=v"]), ofKind: .server)
        var outgoing: [String: String] = [:]
        tracer.inject(span.context, into: &outgoing, using: DictionaryInjector())
        #expect(outgoing["baggage"] == nil && outgoing["traceparent"] != nil)
    }
}

@Suite struct SpanBufferTests {
    private func finished(_ name: String) -> FinishedSpan {
        let context = SpanContext(traceID: TraceID(nonZeroHigh: 1, low: 2), spanID: SpanID(nonZero: 3), flags: 1, traceState: nil, isRemote: false)
        return FinishedSpan(
            context: context, parentSpanID: nil, parentIsRemote: false, name: name, kind: .internal, startNanoseconds: 1, endNanoseconds: 2,
            attributes: [:], events: [], links: [], status: nil, droppedEvents: 0, droppedLinks: 0)
    }

    @Test func aFullBufferDropsSpansInsteadOfWaiting() {
        let buffer = SpanBuffer(capacity: 4, batchSize: 2)
        for index in 0..<10 { buffer.append(finished("span \(index)")) }
        #expect(buffer.count == 4)
        #expect(buffer.takeBatch().map(\.name) == ["span 0", "span 1"])
        #expect(buffer.takeBatch().map(\.name) == ["span 2", "span 3"])
        #expect(buffer.takeBatch().isEmpty)
    }

    @Test func aFullBatchWakesTheExporter() async {
        let buffer = SpanBuffer(capacity: 8, batchSize: 3)
        async let woken: Void = buffer.waitForFullBatch()
        for index in 0..<3 { buffer.append(finished("span \(index)")) }
        await woken
        #expect(buffer.takeBatch().count == 3)
    }

    @Test func closingWakesTheExporter() async {
        let buffer = SpanBuffer(capacity: 8, batchSize: 3)
        async let woken: Void = buffer.waitForFullBatch()
        buffer.close()
        await woken
        #expect(buffer.isClosed)
    }

    @Test func endingASpanTwiceQueuesItOnce() {
        let tracer = NileTracer(configuration: TracerConfiguration(environment: ["OTEL_TRACES_EXPORTER": "none"], defaultServiceName: "t"))
        let span = tracer.startSpan("once", context: .topLevel, ofKind: .internal)
        span.end()
        span.end()
        #expect(tracer.bufferedSpanCount == 1)
    }
}

@Suite struct TraceLogMetadataTests {
    @Test func logLinesInsideASpanNameItsTrace() throws {
        let tracer = NileTracer(configuration: TracerConfiguration(environment: ["OTEL_TRACES_EXPORTER": "none"], defaultServiceName: "t"))
        let span = tracer.startSpan("work", context: .topLevel, ofKind: .internal)
        let spanContext = try #require(span.context.spanContext)
        let metadata = ServiceContext.$current.withValue(span.context) { TraceLogMetadata.provider.get() }
        #expect(metadata["trace_id"] == .string(spanContext.traceID.hex))
        #expect(metadata["span_id"] == .string(spanContext.spanID.hex))
        #expect(metadata["trace_flags"] == .string("01"))
        #expect(ServiceContext.$current.withValue(.topLevel) { TraceLogMetadata.provider.get() }.isEmpty)
    }
}
