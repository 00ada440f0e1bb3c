import Gateway
import HTTPTypes
import Hummingbird
import NileTracing

/// Gives each request an id (the client's `X-Request-Id` when it is short and plain, else a new
/// UUID), sets it for the request's log lines, and echoes it in the response.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    static let header = HTTPField.Name("X-Request-Id")!
    /// New ids without a system call (Foundation's `UUID()` opens `/dev/urandom` for each).
    private static let ids = IDGenerator()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[Self.header]
        let id =
            given.flatMap { $0.count <= 64 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? $0 : nil }
            ?? Self.ids.uuidString()
        let traceID = ForwardedHeaders(traceparent: request.headers[.traceparent]).traceID
        var response = try await RequestID.$current.withValue(id) {
            try await RequestID.$clientTraceID.withValue(traceID) { try await next(request, context) }
        }
        response.headers[Self.header] = id
        return response
    }
}
