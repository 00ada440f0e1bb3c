import Gateway
import GraphQLEngine
import Hummingbird
import Logging
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdWebSocket
import NIOCore
import NIOSSL
import Prometheus

/// Options of the gateway's HTTP server.
public struct GatewayServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 4000
    /// The largest request body accepted (bytes).
    public var maxBodyBytes = 1024 * 1024
    /// Verifies bearer tokens; `nil`: every caller is anonymous (and reads no PHI).
    public var authenticator: JWTAuthenticator?
    /// CSRF protection (as Apollo Router's): a GET must carry a header a browser cannot send
    /// without a preflight (`X-Apollo-Operation-Name`, `Apollo-Require-Preflight`,
    /// `X-NileCare-CSRF`, or a non-simple `Content-Type`); POSTs must be `application/json` anyway.
    public var csrfProtection = false
    /// Origins allowed to call from a browser (CORS); empty: no CORS headers; `*`: any origin.
    public var allowedOrigins: [String] = []
    /// Where swift-metrics reports go, served at `/metrics`; `nil`: no `/metrics` route.
    public var metricsRegistry: PrometheusCollectorRegistry?
    /// Bearer tokens the explorer page offers (development only: label, token).
    public var explorerTokens: [(label: String, token: String)] = []
    /// Serve `POST /__bench/fixed`, a fixed 1 KiB JSON answer (the load benchmark's ceiling), and
    /// `POST /__bench/relay`, one downstream call's bytes relayed as they came (the floor of an
    /// uncached request: the server and the HTTP client with no GraphQL work).
    public var benchmarkEndpoints = false
    /// One log line per request (method, route template, status, time) at info level; never a query string.
    public var accessLog = false
    /// A server span per request (continuing the client's W3C trace). Off when no tracer is
    /// installed: nothing would record it.
    public var tracing = true
    /// JSON responses at least this long are compressed when the client accepts gzip or deflate.
    public var compressionMinimumBytes = 1024
    /// The `Sunset` date announced on v1 REST responses (an HTTP date).
    public var restV1Sunset = "Wed, 30 Jun 2027 00:00:00 GMT"
    /// The trusted-documents manifest (`--operations`): its ids run its texts.
    public var trustedDocuments: TrustedDocuments?
    /// Refuse every GraphQL request that is not in the manifest (REST routes count as trusted).
    public var onlyTrustedDocuments = false
    /// TLS on the listener (`--tls-cert`, `--tls-key`): HTTPS, with HTTP/2 negotiated by ALPN and
    /// HTTP/1.1 for clients that do not offer it. `nil`: plain HTTP/1.1.
    public var tls: TLSConfiguration?
    /// Developer surfaces, each on or off (production: they follow introspection, off).
    public var servesSchema = true
    public var servesOpenAPI = true
    public var servesAPIDocs = true
    public var servesExplorer = true
    /// Serve `/metrics` on the public listener (off when a separate metrics port is configured).
    public var metricsOnPublicPort = true
    /// A connection with no request or response traffic for this long is closed (HTTP/1 keep-alive).
    public var idleTimeout: Duration = .seconds(60)
    /// A request's head (request line and headers) must arrive within this long of the connection
    /// opening or of the previous response: slow-header clients cannot hold connections.
    public var headerReadTimeout: Duration = .seconds(30)
    /// How often a quiet subscription stream (SSE) or connection (WebSocket ping) shows it is alive.
    public var subscriptionKeepAlive: Duration = .seconds(15)
    /// How often a quiet multipart subscription sends its `{}` heartbeat part (Apollo's protocol: 5 s).
    public var multipartHeartbeat: Duration = .seconds(5)
    /// WebSocket connections open at once; past it, upgrades are refused.
    public var maxWebSocketConnections = 10_000
    /// How long a WebSocket client has to send `connection_init` before it is closed (4408).
    public var connectionInitTimeout: Duration = .seconds(10)
    /// Checks events that services post to `/webhooks/events`; `nil`: the endpoint is off.
    public var webhook: WebhookVerifier?

    public init(host: String = "127.0.0.1", port: Int = 4000) {
        self.host = host
        self.port = port
    }
}

extension GatewayServerOptions {
    /// The caller of `request`: anonymous without a token (or without an authenticator), the
    /// token's principal, or why a presented token is refused (every route answers that with a 401).
    func principal(of request: Request) async -> Result<Principal, AuthenticationFailure> {
        await self.principal(authorization: request.headers[.authorization])
    }

    /// The caller an `Authorization` value names (a WebSocket's `connection_init` carries it).
    func principal(authorization: String?) async -> Result<Principal, AuthenticationFailure> {
        guard let authenticator = self.authenticator else { return .success(.anonymous) }
        return await authenticator.authenticate(authorization: authorization)
    }
}

/// Builds the gateway's router: `/graphql`, `/schema.graphql`, `/health`, `/ready`.
public func makeGatewayRouter(executor: GatewayExecutor, options: GatewayServerOptions) -> Router<BasicRequestContext> {
    makeGatewayRouter(runtime: GatewayRuntime(executor), options: options)
}

/// Builds the gateway's router over a runtime whose schema may be reloaded while it serves.
public func makeGatewayRouter(runtime: GatewayRuntime, options: GatewayServerOptions) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: RequestIDMiddleware())
    if options.metricsRegistry != nil { router.add(middleware: HTTPMetricsMiddleware()) }
    // A server span per request, continuing the client's W3C trace (no paths or queries: they may hold PHI).
    if options.tracing { router.add(middleware: ServerSpanMiddleware()) }
    if options.accessLog { router.add(middleware: AccessLogMiddleware()) }
    router.add(middleware: CompressionMiddleware(minimumBytes: options.compressionMinimumBytes, maxInflatedBytes: options.maxBodyBytes))
    if !options.allowedOrigins.isEmpty { router.add(middleware: CORSAllowlistMiddleware(allowedOrigins: options.allowedOrigins)) }
    GraphQLRoute(runtime: runtime, options: options).register(on: router)
    CacheInvalidationRoute(runtime: runtime, options: options).register(on: router)
    if let webhook = options.webhook { WebhookRoute(runtime: runtime, verifier: webhook, maxBodyBytes: options.maxBodyBytes).register(on: router) }
    RestFacadeRoutes(runtime: runtime, options: options).register(on: router)
    OpenAPIRoutes(runtime: runtime, servesDocuments: options.servesOpenAPI, servesReference: options.servesAPIDocs).register(on: router)
    if let registry = options.metricsRegistry, options.metricsOnPublicPort { MetricsRoute(registry: registry).register(on: router) }
    if options.benchmarkEndpoints {
        // The same server, middleware and HTTP stack as /graphql, with no GraphQL work: the ceiling.
        let fixed = ByteBuffer(string: #"{"data":{"padding":""# + String(repeating: "x", count: 990) + #""}}"#)
        router.post("/__bench/fixed") { request, _ in
            _ = await request.readBody(limit: 64 * 1024)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: fixed))
        }
        // The small query's one downstream call (patient 42 from the clinical service), its answer relayed unread.
        router.post("/__bench/relay") { request, _ in
            _ = await request.readBody(limit: 64 * 1024)
            guard let answer = await runtime.current.client.relay("clinical", "/api/v1/patients?ids=42") else {
                return Response(status: .badGateway)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: answer))
        }
    }
    if options.servesSchema {
        router.get("/schema.graphql") { _, _ in
            let executor = runtime.current
            return Response(
                status: .ok, headers: [.contentType: "application/graphql; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: executor.gatewaySchema.publicSDL)))
        }
    }
    router.get("/health") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    router.get("/ready") { _, _ in
        let executor = runtime.current
        let report = await executor.client.probeAll()
        let cacheHealthy = await executor.cache?.store.isHealthy() ?? true
        let ready = report.values.allSatisfy { $0 } && cacheHealthy
        var writer = JSONWriter()
        writer.value([
            "ready": .bool(ready), "schema": "loaded", "services": .object(report.mapValues { .string($0 ? "up" : "down") }),
            "cache": .string(executor.cache.map { "\($0.store.name) \(cacheHealthy ? "up" : "down")" } ?? "off"),
            "circuits": .object(executor.client.circuitStates.mapValues { .string($0) }),
            "rateLimits": .string(executor.options.rateLimiter?.mode ?? "off"),
            // Not a readiness condition: without the shared bus, only other replicas' events are missed.
            "events": .string(executor.subscriptions.map { $0.bus.isConnected ? "up" : "other replicas unreachable" } ?? "off"),
            "eventConnections": .int(executor.subscriptions?.bus.connections ?? 0),
            "subscriptions": .int(executor.subscriptions?.openCount ?? 0),
        ])
        return Response(
            status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(json: writer)))
    }
    return router
}

/// The gateway as a Hummingbird application (run it as a service of a `ServiceGroup`).
public func makeGatewayApplication(
    runtime: GatewayRuntime, options: GatewayServerOptions, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [HeaderReadTimeoutHandler(timeout: .init(options.headerReadTimeout)), PeerAddressHandler()],
        idleTimeout: .init(options.idleTimeout))
    let server: HTTPServerBuilder
    if let tls = options.tls {
        var negotiated = tls
        negotiated.applicationProtocols = ["h2", "http/1.1"]
        server = try .http2Upgrade(
            tlsConfiguration: negotiated, configuration: .init(idleTimeout: options.idleTimeout, streamConfiguration: http1))
    } else {
        // HTTP/1.1, with the graphql-transport-ws WebSocket at /graphql (over TLS, HTTP/2 is offered instead).
        let webSocketResponder = GraphQLWebSocket(runtime: runtime, options: options).router().buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: http1, ws: .init(maxFrameSize: options.maxBodyBytes, autoPing: .enabled(timePeriod: options.subscriptionKeepAlive)))
        let headTimeout = TimeAmount(options.headerReadTimeout)
        server = HTTPServerBuilder { responder in
            GuardedFirstRequestChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                headTimeout: headTimeout)
        }
    }
    return Application(
        router: makeGatewayRouter(runtime: runtime, options: options), server: server,
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "nilecare-gateway"),
        onServerRunning: onServerRunning, logger: logger)
}

/// A server TLS configuration from PEM files: the certificate chain and its private key.
public func serverTLSConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
    let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
    return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
}

/// `/metrics` alone on a listener of its own (`--metrics-port`), so it need not be on the public one.
public func makeMetricsApplication(registry: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    MetricsRoute(registry: registry).register(on: router)
    return Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "nilecare-gateway-metrics"), logger: logger)
}
