import Gateway
import Hummingbird
import Metrics

/// HTTP server metrics by method, route template (never the raw path) and status:
/// `http_server_requests_total`, `http_server_request_duration_seconds`, and the
/// `http_server_active_requests` gauge.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    private let active = Meter(label: "http_server_active_requests")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        self.active.increment()
        defer { self.active.decrement() }
        return try await withObservedStatus(request, context, next) { self.record(request, context, status: $0, since: started) }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        GatewayMetrics.httpRequest(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status, duration: ContinuousClock.now - started)
    }
}
