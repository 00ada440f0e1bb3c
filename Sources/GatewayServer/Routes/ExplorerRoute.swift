import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// The schema explorer's routes (only where the explorer is served): the page, its assets, and
/// `POST /explorer/validate`, which checks a document with the gateway's own parser, limits and
/// validator without running it, so the editor can mark errors while the developer types.
struct ExplorerRoute: Sendable {
    let runtime: GatewayRuntime
    let options: GatewayServerOptions
    /// The page with the development tokens in it: the same for every request, made once.
    private let html: ByteBuffer

    init(runtime: GatewayRuntime, options: GatewayServerOptions) {
        self.runtime = runtime
        self.options = options
        self.html = ByteBuffer(string: ExplorerPage.html(tokens: options.explorerTokens))
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/explorer") { _, _ in self.page() }
        router.get("/explorer/assets/:name") { _, context in
            guard let name = context.parameters.get("name"), let asset = ExplorerPage.asset(named: name) else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "No such file.\n")))
            }
            return Response(
                status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        router.post("/explorer/validate") { request, _ in await self.validate(request) }
    }

    /// The explorer page (also what `GET /graphql` answers a browser).
    func page() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: ExplorerPage.contentSecurityPolicy, .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: self.html))
    }

    /// `{"query": "..."}` in, `{"errors": [...]}` out (empty when the document would run). Counted by
    /// the rate limiter like an anonymous request from the caller's address, when limits are on.
    private func validate(_ request: Request) async -> Response {
        let executor = self.runtime.current
        if let limiter = executor.options.rateLimiter {
            let decision = await limiter.admit(
                principal: Principal.anonymous.rateLimitKey, role: "anonymous", address: request.headers[PeerAddressHandler.field], cost: 1)
            guard decision.allowed else {
                var response = self.answer(.tooManyRequests, [GraphQLError("Too many requests: retry in \(decision.retryAfterSeconds) s.")])
                decision.write(to: &response.headers)
                return response
            }
        }
        let body: ByteBuffer
        switch await request.readBody(limit: self.options.maxBodyBytes) {
        case .success(let read): body = read
        case .failure(let failure):
            return self.answer(failure == .tooLarge ? .contentTooLarge : .badRequest, [GraphQLError("The request body is malformed or too large.")])
        }
        let parameters: GraphQLHTTPParameters
        do {
            parameters = try GraphQLHTTPParameters(json: Array(buffer: body))
        } catch {
            return self.answer(.badRequest, [GraphQLError(error.message)])
        }
        guard let query = parameters.query else { return self.answer(.badRequest, [GraphQLError("Send the document as \"query\".")]) }
        return self.answer(.ok, executor.check(query))
    }

    private func answer(_ status: HTTPResponse.Status, _ errors: [GraphQLError]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: errorsDocument(errors))))
    }
}
