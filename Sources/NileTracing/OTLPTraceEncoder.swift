import Tracing

/// Encodes finished spans as an OTLP `ExportTraceServiceRequest` (protobuf), the body of an
/// OTLP/HTTP export. Field numbers are those of opentelemetry-proto's
/// `opentelemetry/proto/trace/v1/trace.proto` and `common/v1/common.proto`.
struct OTLPTraceEncoder: Sendable {
    /// `Resource` (service name, SDK, `OTEL_RESOURCE_ATTRIBUTES`), encoded once.
    private let resource: [UInt8]
    /// `InstrumentationScope`, encoded once.
    private let scope: [UInt8]

    /// Attributes kept per span, event and link at most (the OpenTelemetry default limit).
    static let attributeLimit = 128

    init(serviceName: String, resourceAttributes: [(key: String, value: String)], scopeName: String, scopeVersion: String) {
        var resource = ProtobufWriter()
        let attributes: [(String, String)] =
            [("service.name", serviceName), ("telemetry.sdk.name", scopeName), ("telemetry.sdk.language", "swift"), ("telemetry.sdk.version", scopeVersion)]
            + resourceAttributes.map { ($0.key, $0.value) }
        for (key, value) in attributes {
            resource.messageField(1) { keyValue in
                keyValue.stringField(1, key)
                keyValue.messageField(2) { $0.stringField(1, value, always: true) }
            }
        }
        self.resource = resource.bytes
        var scope = ProtobufWriter()
        scope.stringField(1, scopeName)
        scope.stringField(2, scopeVersion)
        self.scope = scope.bytes
    }

    /// `ExportTraceServiceRequest { resource_spans: [{ resource, scope_spans: [{ scope, spans }] }] }`.
    func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 64 + spans.count * 320)
        writer.messageField(1) { resourceSpans in
            resourceSpans.encodedMessageField(1, self.resource)
            resourceSpans.messageField(2) { scopeSpans in
                scopeSpans.encodedMessageField(1, self.scope)
                for span in spans {
                    scopeSpans.messageField(2) { Self.encode(span, into: &$0) }
                }
            }
        }
        return writer.bytes
    }

    /// `Span`.
    private static func encode(_ span: FinishedSpan, into writer: inout ProtobufWriter) {
        writer.bigEndianField(1, span.context.traceID.high, span.context.traceID.low)
        writer.bigEndianField(2, span.context.spanID.value)
        writer.stringField(3, span.context.traceState ?? "")
        if let parent = span.parentSpanID { writer.bigEndianField(4, parent.value) }
        writer.stringField(5, span.name, always: true)
        writer.varintField(6, Int64(kindNumber(span.kind)))
        writer.fixed64Field(7, span.startNanoseconds)
        writer.fixed64Field(8, span.endNanoseconds)
        writer.varintField(10, Int64(attributes(span.attributes, into: &writer, field: 9)))
        for event in span.events {
            writer.messageField(11) { eventWriter in
                eventWriter.fixed64Field(1, event.nanosecondsSinceEpoch)
                eventWriter.stringField(2, event.name, always: true)
                eventWriter.varintField(4, Int64(attributes(event.attributes, into: &eventWriter, field: 3)))
            }
        }
        writer.varintField(12, Int64(span.droppedEvents))
        for link in span.links {
            writer.messageField(13) { linkWriter in
                linkWriter.bigEndianField(1, link.context.traceID.high, link.context.traceID.low)
                linkWriter.bigEndianField(2, link.context.spanID.value)
                linkWriter.stringField(3, link.context.traceState ?? "")
                linkWriter.varintField(5, Int64(attributes(link.attributes, into: &linkWriter, field: 4)))
                linkWriter.fixed32Field(6, UInt32(link.context.flags) | 0x100 | (link.context.isRemote ? 0x200 : 0))
            }
        }
        writer.varintField(14, Int64(span.droppedLinks))
        if let status = span.status {
            writer.messageField(15) { statusWriter in
                statusWriter.stringField(2, status.message ?? "")
                statusWriter.varintField(3, status.code == .ok ? 1 : 2)
            }
        }
        // W3C flags, plus "whether the parent is remote is known" and, if so, whether it is.
        let remote: UInt32 = span.parentSpanID == nil ? 0 : 0x100 | (span.parentIsRemote ? 0x200 : 0)
        writer.fixed32Field(16, UInt32(span.context.flags) | remote)
    }

    private static func kindNumber(_ kind: SpanKind) -> Int {
        switch kind {
        case .internal: return 1
        case .server: return 2
        case .client: return 3
        case .producer: return 4
        case .consumer: return 5
        }
    }

    /// Repeated `KeyValue` at `field` (at most `attributeLimit`); returns how many were dropped.
    private static func attributes(_ attributes: SpanAttributes, into writer: inout ProtobufWriter, field: Int) -> Int {
        var written = 0
        attributes.forEach { key, value in
            guard written < attributeLimit else { return }
            written += 1
            writer.messageField(field) { keyValue in
                keyValue.stringField(1, key)
                keyValue.messageField(2) { anyValue(value, into: &$0) }
            }
        }
        return attributes.count - written
    }

    /// `AnyValue`: the member of its `oneof` that the attribute's type names.
    private static func anyValue(_ value: SpanAttribute, into writer: inout ProtobufWriter) {
        switch value {
        case .string(let string): writer.stringField(1, string, always: true)
        case .bool(let bool): writer.boolField(2, bool, always: true)
        case .int32(let int): writer.varintField(3, Int64(int), always: true)
        case .int64(let int): writer.varintField(3, int, always: true)
        case .double(let double): writer.doubleField(4, double, always: true)
        case .stringConvertible(let convertible): writer.stringField(1, convertible.description, always: true)
        case .stringArray(let strings): array(strings) { $0.stringField(1, $1, always: true) }
        case .boolArray(let bools): array(bools) { $0.boolField(2, $1, always: true) }
        case .int32Array(let ints): array(ints) { $0.varintField(3, Int64($1), always: true) }
        case .int64Array(let ints): array(ints) { $0.varintField(3, $1, always: true) }
        case .doubleArray(let doubles): array(doubles) { $0.doubleField(4, $1, always: true) }
        case .stringConvertibleArray(let convertibles): array(convertibles) { $0.stringField(1, $1.description, always: true) }
        default: writer.stringField(1, "\(value)", always: true)
        }

        /// `ArrayValue { values: [AnyValue] }` in field 5.
        func array<Element>(_ elements: [Element], _ write: (inout ProtobufWriter, Element) -> Void) {
            writer.messageField(5) { arrayWriter in
                for element in elements {
                    arrayWriter.messageField(1) { write(&$0, element) }
                }
            }
        }
    }
}
