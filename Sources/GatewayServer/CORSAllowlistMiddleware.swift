import HTTPTypes
import Hummingbird

/// CORS for an allowlist of origins: a listed `Origin` gets `Access-Control-Allow-Origin` (with
/// `Vary: Origin`), preflights are answered; other origins get no CORS headers, so browsers refuse
/// to share the answer.
struct CORSAllowlistMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let allowedOrigins: Set<String>
    let allowsAny: Bool

    init(allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins)
        self.allowsAny = allowedOrigins.contains("*")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], self.allowsAny || self.allowedOrigins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers = self.headers(origin)
            headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            headers[.accessControlAllowHeaders] =
                "Authorization, Content-Type, Accept, Accept-Encoding, X-API-Version, X-Apollo-Operation-Name, Apollo-Require-Preflight, X-NileCare-CSRF, X-NileCare-Receipt, traceparent, tracestate"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        for field in self.headers(origin) { response.headers[field.name] = field.value }
        return response
    }

    private func headers(_ origin: String) -> HTTPFields {
        [
            .accessControlAllowOrigin: self.allowsAny ? "*" : origin, .vary: "Origin",
            .accessControlExposeHeaders: "ETag, Deprecation, Sunset, X-API-Version",
        ]
    }
}
