import ArgumentParser
import FixtureServices
import Foundation
import Gateway
import GatewayServer
import Hummingbird
import Logging
import Prometheus
import RedisClient
import ServiceLifecycle

/// `nilecare serve`: the gateway. With no flags: 127.0.0.1:4000, the five fixture services (four
/// REST, the insurance subgraph) embedded on 127.0.0.1:4001-4005, in-memory everything.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the GraphQL gateway.",
        discussion: """
            Services given with --service NAME=URL (or NILECARE_SERVICE_<NAME>=URL) are called at that URL;
            the others are served by embedded fixture services. Stops gracefully on SIGTERM or SIGINT.
            """
    )

    @Option(help: "A JSON file of serve options by long name (env NILECARE_CONFIG); command-line flags win. Watched with --watch.")
    var config: String?

    @OptionGroup(title: "Security")
    var security: SecurityOptions

    @Option(help: "Address to listen on (env NILECARE_HOST).")
    var host: String = ProcessInfo.processInfo.environment["NILECARE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env NILECARE_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["NILECARE_PORT"] ?? "") ?? 4000

    @Option(help: "The schema: a .graphql file or a folder of them (env NILECARE_SCHEMA).")
    var schema: String = ProcessInfo.processInfo.environment["NILECARE_SCHEMA"] ?? "Schema"

    @Option(name: .customLong("service"), help: "A downstream service's base URL, as NAME=URL (repeatable).")
    var services: [String] = []

    @Option(
        name: .customLong("subgraph-sdl"),
        help: "A GraphQL subgraph's SDL file to check the schema against, as NAME=FILE (repeatable); without it the gateway asks the running subgraph for `_service { sdl }`.")
    var subgraphSDLFiles: [String] = []

    @Option(help: "The fixture data folder for embedded services.")
    var fixtures: String?

    @Option(help: "First port of the embedded fixture services (clinical, business, medication, lab).")
    var fixturesBasePort: Int = 4001

    @Option(help: "Deadline of one downstream request, in milliseconds.")
    var downstreamTimeoutMs: Int = 5_000

    @Option(
        help: "Seconds a graceful shutdown (SIGTERM, SIGINT) may take to drain requests before they are cancelled; a process still running 3 s after that exits (status 1).")
    var shutdownTimeoutSeconds: Int = 25

    @Option(help: "A trusted-documents manifest (Apollo persisted query list, or {hash: document}); env NILECARE_OPERATIONS. Reloaded with --watch.")
    var operations: String? = ProcessInfo.processInfo.environment["NILECARE_OPERATIONS"]

    @Option(help: "Run only the manifest's documents: on or off (default: on in production once --operations is given).")
    var onlyTrustedDocuments: SecurityOptions.Toggle?

    @Option(help: "A PEM certificate chain: serve HTTPS (HTTP/2 by ALPN, HTTP/1.1 otherwise) with --tls-key.")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "A PEM client certificate the gateway presents to downstream services (mutual TLS), with --downstream-tls-key.")
    var downstreamTlsCert: String?

    @Option(help: "The PEM private key of --downstream-tls-cert.")
    var downstreamTlsKey: String?

    @Option(help: "PEM CA certificates downstream services' certificates are verified against (default: the system's).")
    var downstreamCa: String?

    @Option(help: "Rate limits per principal and client address: on or off (default: on in production). Shared through Redis when --redis is given.")
    var rateLimits: SecurityOptions.Toggle?

    @Option(help: "Quotas per window by role, ROLE=REQUESTS/COST,… (e.g. patient=300/30000); the rest keep their defaults.")
    var rateLimitQuotas: String?

    @Option(help: "Requests per window from one client address.")
    var rateLimitAddressRequests: Int = 3_000

    @Option(help: "The rate-limit window, in seconds.")
    var rateLimitWindowSeconds: Int = 60

    @Option(help: "Circuit breakers per downstream service: on or off.")
    var circuitBreakers: SecurityOptions.Toggle = .on

    @Option(help: "Consecutive failed calls that open a service's circuit.")
    var breakerFailures: Int = 5

    @Option(help: "Seconds an open circuit fails calls at once before probing the service.")
    var breakerOpenSeconds: Int = 5

    @Option(help: "Retries of a GET that got no answer or a 502/503/504 (jittered back-off, within the request's time).")
    var downstreamRetries: Int = 2

    @Option(help: "Keys per downstream batch call.")
    var maxBatchSize: Int = 100

    @Option(help: "Downstream calls one request may make: operations that would make more are refused before any call, and no request makes more while it runs.")
    var maxDownstreamCalls: Int = 50

    @Option(help: "Resolver cache in Redis at this redis:// or redis+cluster://seed,seed URL (env NILECARE_REDIS_URL); otherwise in memory.")
    var redis: String? = ProcessInfo.processInfo.environment["NILECARE_REDIS_URL"]

    @Option(help: "Subscriptions (SSE and graphql-transport-ws) and the event webhook: on or off.")
    var subscriptions: SecurityOptions.Toggle = .on

    @Option(help: "Subscriptions one caller may have open at once.")
    var maxSubscriptionsPerPrincipal: Int = 20

    @Option(help: "Subscriptions one WebSocket connection may have open at once.")
    var maxSubscriptionsPerConnection: Int = 50

    @Option(help: "WebSocket connections open at once (past it, upgrades are refused).")
    var maxWebsocketConnections: Int = 10_000

    @Option(help: "Seconds a WebSocket client has to send connection_init before it is closed (4408).")
    var connectionInitTimeoutSeconds: Int = 10

    @Option(help: "Shared secret(s) for POST /webhooks/events signatures, comma-separated during a rotation (env NILECARE_WEBHOOK_SECRET); development uses a documented secret, production needs one.")
    var webhookSecret: String? = ProcessInfo.processInfo.environment["NILECARE_WEBHOOK_SECRET"]

    @Option(help: "Resolver cache: memory, redis (needs --redis) or off.")
    var cache: String?

    @Option(help: "Seconds past maxAge a cached entry may be served when its service fails (stale-if-error; 0 turns it off).")
    var staleIfErrorSeconds: Int = 300

    @Option(help: "Entries of the in-process L1 in front of Redis, kept coherent by Redis client tracking (0: no L1).")
    var cacheL1Entries: Int = 10_000

    @Option(help: "A .graphql file of hot queries to run at start-up, filling the cache (e.g. deploy/hot-queries.graphql).")
    var warm: String?

    @Option(help: "The Authorization header (Bearer JWT) the --warm queries run with (their PRIVATE data is that principal's).")
    var warmAuthorization: String?

    @Flag(help: "Reload the schema when a file of --schema changes (a broken edit keeps the schema in force).")
    var watch = false

    @Flag(help: .hidden)
    var benchmarkEndpoints = false

    @Option(help: "Log lines as text or json (JSON lines with request and trace ids).")
    var logFormat: String = ProcessInfo.processInfo.environment["NILECARE_LOG_FORMAT"] ?? "text"

    @Option(help: "One log line per request: on or off.")
    var accessLog: SecurityOptions.Toggle = .off

    @Option(help: "Prometheus metrics at /metrics: on or off.")
    var metrics: SecurityOptions.Toggle = .on

    @Option(help: "Serve /metrics on this port (same host) instead of the public one (env NILECARE_METRICS_PORT); production serves /metrics only there.")
    var metricsPort: Int? = Int(ProcessInfo.processInfo.environment["NILECARE_METRICS_PORT"] ?? "")

    @Option(help: "Tracing (OTLP/HTTP): on or off (default: on when OTEL_EXPORTER_OTLP_ENDPOINT is set).")
    var tracing: SecurityOptions.Toggle?

    @Option(help: "Which entries the in-memory cache drops first when full: lru, fifo or ttl (soonest to expire).")
    var cacheEviction: String = "lru"

    @Option(help: "The Sunset date announced on v1 REST responses (an HTTP date).")
    var restV1Sunset: String = "Wed, 30 Jun 2027 00:00:00 GMT"

    @Option(help: "Entries the in-memory cache holds at most.")
    var cacheMaxEntries: Int = 100_000

    @Option(help: "AES-256-GCM keys for PRIVATE cache values in Redis, ID:BASE64[,ID:BASE64...], sealing key first (env NILECARE_CACHE_KEYS).")
    var cacheKeys: String? = ProcessInfo.processInfo.environment["NILECARE_CACHE_KEYS"]

    func run() async throws {
        guard ["text", "json"].contains(self.logFormat) else { throw ValidationError("--log-format takes text or json.") }
        Observability.bootstrapLogging(format: self.logFormat)
        // Before anything makes a metric: a handle made earlier would stay a no-op.
        let metricsRegistry = self.metrics == .on ? Observability.bootstrapMetrics() : nil
        var logger = Logger(label: "nilecare")
        logger.logLevel = .info
        let configured = try self.configuredServices()
        var endpoints: [ServiceEndpoint] = []
        var applications: [any Service] = []
        var embedded: [String] = []
        // The SDL of the subgraphs served in process (checked without asking them).
        var embeddedSDL: [String: String] = [:]
        let missing = ServiceEndpoint.serviceNames.filter { configured[$0] == nil }
        if !missing.isEmpty {
            guard let directory = self.fixtures ?? FixtureStore.locateDirectory() else {
                throw ValidationError("Fixtures/ not found; pass --fixtures or give every service with --service.")
            }
            let store = try FixtureStore(directory: directory)
            for (offset, kind) in FixtureService.Kind.allCases.enumerated() where missing.contains(kind.rawValue) {
                let port = self.fixturesBasePort + offset
                applications.append(makeFixtureApplication(try FixtureService(kind: kind, store: store), host: "127.0.0.1", port: port, logger: logger))
                endpoints.append(
                    ServiceEndpoint(name: kind.rawValue, baseURL: "http://127.0.0.1:\(port)", timeout: .milliseconds(self.downstreamTimeoutMs)))
                embedded.append("\(kind.rawValue) http://127.0.0.1:\(port)")
                if kind == .insurance { embeddedSDL[kind.rawValue] = store.insuranceSDL }
            }
        }
        for (name, url) in configured {
            endpoints.append(ServiceEndpoint(name: name, baseURL: url, timeout: .milliseconds(self.downstreamTimeoutMs)))
        }
        let gatewaySchema: GatewaySchema
        do {
            gatewaySchema = try GatewaySchema(contentsOf: self.schema, services: ServiceEndpoint.serviceNames)
        } catch let error as GatewaySchemaError {
            FileHandle.standardError.write(Data("schema errors:\n\(error)\n".utf8))
            throw ExitCode(1)
        }
        var breakerPolicy = CircuitBreakerPolicy()
        breakerPolicy.consecutiveFailures = max(1, self.breakerFailures)
        breakerPolicy.openDuration = .seconds(max(1, self.breakerOpenSeconds))
        let downstreamTLS = try self.downstreamTLS()?.configuration()
        let client = DownstreamClient(
            services: endpoints, breakerPolicy: self.circuitBreakers == .on ? breakerPolicy : nil, maxRetries: self.downstreamRetries,
            tls: downstreamTLS, logger: logger)
        // From here on, a setting refused (or a shutdown) closes the client before the error leaves.
        do {
            let checked = try await self.checkedAgainstSubgraphs(gatewaySchema, client: client, embeddedSDL: embeddedSDL, logger: logger)
            try await self.serve(
                client: client, gatewaySchema: checked, applications: applications, embedded: embedded, logger: logger,
                metricsRegistry: metricsRegistry)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Builds the executor and the HTTP surface over `client`, and runs them until shutdown.
    private func serve(
        client: DownstreamClient, gatewaySchema: GatewaySchema, applications: [any Service], embedded: [String], logger: Logger,
        metricsRegistry: PrometheusCollectorRegistry?
    ) async throws {
        var applications = applications
        var embedded = embedded
        var options = try self.executionOptions()
        let cacheConfiguration = try self.cacheConfiguration()
        let cacheTiers: ResolverCacheTiers
        do {
            cacheTiers = try await ResolverCacheTiers.make(cacheConfiguration, logger: logger)
        } catch {
            throw ValidationError(error.description)
        }
        let cacheStore = cacheTiers.store
        let redisClient = cacheTiers.redis
        if (self.rateLimits ?? (self.security.isProduction ? .on : .off)) == .on {
            var policy = RateLimitPolicy()
            policy.window = .seconds(max(1, self.rateLimitWindowSeconds))
            policy.addressRequests = max(1, self.rateLimitAddressRequests)
            if let quotas = self.rateLimitQuotas, !policy.apply(quotas: quotas) {
                throw ValidationError("--rate-limit-quotas takes ROLE=REQUESTS/COST entries, comma-separated.")
            }
            options.rateLimiter = RateLimiter(policy: policy, redis: redisClient)
            embedded.append("limits   rate limits \(redisClient == nil ? "in process" : "shared through Redis")")
        }
        let hub = self.subscriptionHub(cacheTiers, logger: logger)
        let executor = GatewayExecutor(
            schema: gatewaySchema, client: client, options: options, cacheStore: cacheStore, sealer: cacheTiers.sealer, subscriptions: hub)
        if let hub {
            embedded.append("events   subscriptions \(hub.bus is RedisEventBus ? "shared through Redis" : "in process")")
        }
        embedded.append("cache    \(cacheStore?.name ?? "off")\(self.redis.map { " \($0)" } ?? "")")
        let host = self.host
        let port = self.port
        if self.watch { embedded.append("watching \(self.schema) for schema changes") }
        // Development: ready-made tokens per role, signed with the documented development secret.
        var developmentTokens: [String] = []
        var explorerTokens: [(label: String, token: String)] = []
        if !self.security.isProduction, self.security.secret == developmentJWTSecret {
            for (role, subject) in [(Principal.Role.clinician, "dr-dev"), (.admin, "admin-dev"), (.patient, "1")] {
                let token = try await TokenMinter.hs256(secret: developmentJWTSecret, subject: subject, role: role, lifetime: .seconds(86_400))
                developmentTokens.append("token    \(role.rawValue) (\(subject)): \(token)")
                explorerTokens.append(("\(role.rawValue) (\(subject))", token))
            }
        }
        let tokenLines = developmentTokens
        var serverOptions = GatewayServerOptions(host: host, port: port)
        var metricsURL = self.security.isProduction ? "off (production: --metrics-port)" : "http://\(host):\(port)/metrics"
        if let registry = metricsRegistry {
            serverOptions.metricsRegistry = registry
            // Production keeps /metrics off the public listener; it is served on --metrics-port only.
            serverOptions.metricsOnPublicPort = self.metricsPort == nil && !self.security.isProduction
            if let metricsPort = self.metricsPort {
                applications.append(makeMetricsApplication(registry: registry, host: host, port: metricsPort, logger: logger))
                metricsURL = "http://\(host):\(metricsPort)/metrics"
            } else if self.security.isProduction {
                logger.warning("metrics are not served: the production profile serves /metrics only on --metrics-port")
            }
        }
        serverOptions.accessLog = self.accessLog == .on
        serverOptions.explorerTokens = explorerTokens
        serverOptions.restV1Sunset = self.restV1Sunset
        serverOptions.benchmarkEndpoints = self.benchmarkEndpoints
        serverOptions.webhook = try self.webhookVerifier(hub, schema: gatewaySchema, redis: redisClient)
        serverOptions.connectionInitTimeout = .seconds(max(1, self.connectionInitTimeoutSeconds))
        serverOptions.maxWebSocketConnections = max(1, self.maxWebsocketConnections)
        serverOptions.tracing = Observability.tracingRequested(self.tracing.map { $0 == .on })
        if serverOptions.tracing {
            applications.append(Observability.bootstrapTracing(serviceName: "nilecare-gateway"))
        }
        try await self.security.apply(to: &serverOptions)
        switch (self.tlsCert, self.tlsKey) {
        case (let certificate?, let key?):
            do {
                serverOptions.tls = try serverTLSConfiguration(certificatePath: certificate, keyPath: key)
            } catch {
                throw ValidationError("--tls-cert/--tls-key: \(error)")
            }
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together.")
        }
        if let path = self.operations {
            let manifest: TrustedDocuments
            do {
                manifest = try TrustedDocuments(manifest: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw ValidationError("--operations \(path): \(error)")
            }
            serverOptions.trustedDocuments = manifest
            serverOptions.onlyTrustedDocuments = (self.onlyTrustedDocuments ?? (self.security.isProduction ? .on : .off)) == .on
            embedded.append("trusted  \(manifest.count) operations from \(path)\(serverOptions.onlyTrustedDocuments ? ", only these run" : "")")
            if self.watch {
                let manifestLogger = logger
                Task {
                    await FileChangePoller(files: { [path] }).run {
                        do {
                            try manifest.reload(manifest: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
                            manifestLogger.info("trusted documents reloaded", metadata: ["operations": "\(manifest.count)"])
                        } catch {
                            manifestLogger.error("trusted documents not reloaded: the manifest in force stays", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        } else if self.onlyTrustedDocuments == .on {
            throw ValidationError("--only-trusted-documents on needs --operations FILE.")
        }
        let runtime = GatewayRuntime(executor)
        let metricsBanner = serverOptions.metricsRegistry == nil ? "off" : metricsURL
        if self.watch {
            let watcher = SchemaWatcher(path: self.schema, runtime: runtime, logger: logger)
            Task { await watcher.run() }
            if let config = self.config ?? ProcessInfo.processInfo.environment["NILECARE_CONFIG"] {
                Task { await ConfigWatcher(path: config, runtime: runtime, logger: logger).run() }
            }
        }
        let embeddedLines = embedded
        let gateway = try makeGatewayApplication(
            runtime: runtime, options: serverOptions, logger: logger
        ) { _ in
            var banner = "NileCare gateway ready\n  GraphQL  http://\(host):\(port)/graphql\n  schema   http://\(host):\(port)/schema.graphql\n"
            banner += "  health   http://\(host):\(port)/health   ready: http://\(host):\(port)/ready\n"
            for line in embeddedLines {
                banner += line.hasPrefix("cache") || line.hasPrefix("events") || line.hasPrefix("watching") || line.hasPrefix("trusted") || line.hasPrefix("limits") ? "  \(line)\n" : "  fixture  \(line)\n"
            }
            banner += "  REST     http://\(host):\(port)/api/v2/patients   reference: http://\(host):\(port)/api/docs\n"
            banner += "  explorer http://\(host):\(port)/explorer   metrics: \(metricsBanner)\n"
            for line in tokenLines { banner += "  \(line)\n" }
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        applications.append(gateway)
        // Services shut down in reverse order: open subscriptions end before the server drains its requests.
        if let hub { applications.append(SubscriptionShutdown(hub: hub)) }
        if let warm = self.warm {
            guard cacheStore != nil else { throw ValidationError("--warm needs a cache (--cache memory or redis).") }
            let document = try String(contentsOfFile: warm, encoding: .utf8)
            let authorization = self.warmAuthorization
            var principal = Principal.anonymous
            if let authenticator = serverOptions.authenticator {
                switch await authenticator.authenticate(authorization: authorization) {
                case .success(let verified): principal = verified
                case .failure(let failure): throw ValidationError("--warm-authorization: \(failure.message)")
                }
            }
            let warmPrincipal = principal
            Task { await warmCache(executor: executor, document: document, principal: warmPrincipal, authorization: authorization, logger: logger) }
        }
        guard (0...3_600).contains(self.shutdownTimeoutSeconds) else {
            throw ValidationError("--shutdown-timeout-seconds takes 0 to 3600.")
        }
        let (group, watchdog) = boundedServiceGroup(applications, drain: .seconds(self.shutdownTimeoutSeconds), logger: logger)
        defer { watchdog.cancel() }
        do {
            try await group.run()
        } catch {
            await cacheTiers.shutdown()
            throw error
        }
        await cacheTiers.shutdown()
    }

    /// The TLS the downstream client uses: a client certificate for mutual TLS, and CAs to trust.
    private func downstreamTLS() throws -> DownstreamTLS? {
        guard self.downstreamTlsCert != nil || self.downstreamCa != nil else { return nil }
        guard (self.downstreamTlsCert == nil) == (self.downstreamTlsKey == nil) else {
            throw ValidationError("--downstream-tls-cert and --downstream-tls-key go together.")
        }
        return DownstreamTLS(certificatePath: self.downstreamTlsCert, keyPath: self.downstreamTlsKey, trustRootsPath: self.downstreamCa)
    }

    /// Services given by flag or environment, by name.
    private func configuredServices() throws -> [String: String] {
        var result: [String: String] = [:]
        for name in ServiceEndpoint.serviceNames {
            if let url = ProcessInfo.processInfo.environment["NILECARE_SERVICE_\(name.uppercased())"] { result[name] = url }
        }
        for entry in self.services {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, ServiceEndpoint.serviceNames.contains(parts[0]), parts[1].hasPrefix("http") else {
                throw ValidationError("--service takes NAME=URL with NAME one of \(ServiceEndpoint.serviceNames.joined(separator: ", ")).")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }

    /// The execution settings of these options (also what a watched config file re-applies).
    func executionOptions() throws -> ExecutionOptions {
        var options = ExecutionOptions()
        options.maxBatchSize = self.maxBatchSize
        options.maxDownstreamCalls = self.maxDownstreamCalls
        options.staleIfError = .seconds(max(0, self.staleIfErrorSeconds))
        try self.security.apply(to: &options)
        return options
    }
}
