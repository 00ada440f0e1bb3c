import Logging
import ServiceContextModule

/// Log metadata from the current trace: `trace_id`, `span_id` and `trace_flags` of the span the
/// task is in, so a log line can be found from its trace and the other way round.
public enum TraceLogMetadata {
    public static let provider = Logger.MetadataProvider {
        guard let span = ServiceContext.current?.spanContext else { return [:] }
        return [
            "trace_id": .string(span.traceID.hex),
            "span_id": .string(span.spanID.hex),
            "trace_flags": .string(HexDigits.encode(span.flags)),
        ]
    }
}
