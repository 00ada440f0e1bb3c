import HTTPTypes
import Hummingbird
import Instrumentation
import Tracing
import Gateway

/// A server span per request, continuing the client's W3C trace (`traceparent`, `tracestate`).
///
/// Lean on purpose: named by the route template, with the method, route and status (the route,
/// not the path: REST paths carry patient ids), ended when the handler answers. Hummingbird's
/// `TracingMiddleware` records the path, query, user agent and peer, and ends the span after the
/// body is written by wrapping the body writer; replacing it took the cost of 100%-sampled tracing
/// from 40% to 29% of cached-query throughput here (BENCHMARKS.md).
///
/// The tracer is looked up once, when the router is built (the global `startSpan` looks it up
/// under a lock on every call), and span names and header names are made once.
struct ServerSpanMiddleware<Context: RequestContext>: RouterMiddleware {
    private let tracer: any Tracer

    init(tracer: any Tracer = InstrumentationSystem.tracer) {
        self.tracer = tracer
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = ServiceContext.current ?? .topLevel
        self.tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let span = self.tracer.startSpan(Self.spanName(request.method), context: parent, ofKind: .server)
        defer { span.end() }
        do {
            let response = try await ServiceContext.$current.withValue(span.context) {
                try await RequestSpan.$current.withValue(span) { try await next(request, context) }
            }
            self.finish(span, request, context, status: Int(response.status.code))
            return response
        } catch {
            self.finish(span, request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            span.recordError(error)
            throw error
        }
    }

    private static func spanName(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get: return "HTTP GET"
        case .post: return "HTTP POST"
        default: return "HTTP \(method.rawValue)"
        }
    }

    private func finish(_ span: any Span, _ request: Request, _ context: Context, status: Int) {
        // A span the sampler dropped records nothing: skip the work.
        guard span.isRecording else { return }
        if let route = context.endpointPath { span.operationName = "\(request.method.rawValue) \(route)" }
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method.rawValue
            attributes["http.route"] = context.endpointPath
            attributes["http.response.status_code"] = status
        }
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

/// Reads trace context from a request's header fields.
struct HTTPFieldsExtractor: Extractor {
    private static let traceparent = HTTPField.Name("traceparent")
    private static let tracestate = HTTPField.Name("tracestate")
    private static let baggage = HTTPField.Name("baggage")

    func extract(key: String, from fields: HTTPFields) -> String? {
        let name: HTTPField.Name?
        switch key {
        case "traceparent": name = Self.traceparent
        case "tracestate": name = Self.tracestate
        case "baggage": name = Self.baggage
        default: name = HTTPField.Name(key)
        }
        return name.flatMap { fields[$0] }
    }
}
