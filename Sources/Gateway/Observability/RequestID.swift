import Logging

/// The id of the request a task works for (from `X-Request-Id`, or made by the server), so every
/// log line written while serving it names it.
public enum RequestID {
    @TaskLocal public static var current: String?
    /// The W3C trace id the client sent (log lines carry it even when no tracer is installed).
    @TaskLocal public static var clientTraceID: String?

    /// Adds `request_id` (and the client's `trace_id`) to log lines written inside a request.
    public static let metadataProvider = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        if let id = RequestID.current { metadata["request_id"] = .string(id) }
        if let trace = RequestID.clientTraceID { metadata["trace_id"] = .string(trace) }
        return metadata
    }
}
