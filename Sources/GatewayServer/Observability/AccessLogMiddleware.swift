import Gateway
import Hummingbird
import Logging

/// One log line per request: method, route template (never the raw path or its query string, which
/// can hold patient names or ids), status, duration and request id. No headers, no body.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let logger = Logger(label: "nilecare.access")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        return try await withObservedStatus(request, context, next) { self.log(request, context, status: $0, since: started) }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        self.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")", "status": "\(status)",
                "duration_ms": "\((milliseconds * 10).rounded() / 10)",
            ])
    }
}
