import AsyncHTTPClient
import FixtureServices
import Foundation
import Gateway
import GraphQLEngine
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The repository's root, from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// The fixture services (four REST, the insurance subgraph) on free loopback ports, for one test; counts come from `/__stats`.
final class FixtureHarness: Sendable {
    let services: [FixtureService.Kind: FixtureService]
    let baseURLs: [String: String]
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>
    /// The ports of the services that are down, held (bound, not listening) while the harness lives.
    private let downPorts: [ReservedPort]

    private init(
        services: [FixtureService.Kind: FixtureService], baseURLs: [String: String], group: ServiceGroup, runner: Task<Void, any Error>,
        downPorts: [ReservedPort]
    ) {
        self.services = services
        self.baseURLs = baseURLs
        self.downPorts = downPorts
        self.group = group
        self.runner = runner
    }

    /// Starts the services (all but `down`), waiting until each listens.
    static func start(down: Set<FixtureService.Kind> = []) async throws -> FixtureHarness {
        let store = try FixtureStore(directory: repositoryRoot + "/Fixtures")
        var logger = Logger(label: "fixtures")
        logger.logLevel = .warning
        // Each service reports its port once it listens: the harness waits for those events.
        let (bound, announce) = AsyncStream<(String, Int)>.makeStream()
        var services: [FixtureService.Kind: FixtureService] = [:]
        var applications: [any Service] = []
        for kind in FixtureService.Kind.allCases where !down.contains(kind) {
            let service = try FixtureService(kind: kind, store: store)
            services[kind] = service
            applications.append(
                makeFixtureApplication(service, host: "127.0.0.1", port: 0, logger: logger) { port in
                    announce.yield((kind.rawValue, port))
                })
        }
        let group = ServiceGroup(configuration: .init(services: applications.map { .init(service: $0) }, logger: logger))
        let runner = Task { try await group.run() }
        // A group that stops (a service could not start) ends the wait.
        Task {
            _ = await runner.result
            announce.finish()
        }
        let expected = FixtureService.Kind.allCases.count - down.count
        var urls: [String: String] = [:]
        for await (name, port) in bound {
            urls[name] = "http://127.0.0.1:\(port)"
            if urls.count == expected { break }
        }
        guard urls.count == expected else { throw FixtureHarnessError(message: "the fixture services stopped before all were listening") }
        // A service that is down is a port nobody listens on, and that no other test's server can take.
        var downPorts: [ReservedPort] = []
        for kind in down {
            let reserved = try ReservedPort()
            downPorts.append(reserved)
            urls[kind.rawValue] = "http://127.0.0.1:\(reserved.port)"
        }
        return FixtureHarness(services: services, baseURLs: urls, group: group, runner: runner, downPorts: downPorts)
    }

    /// The services' endpoints; `timeouts` overrides the deadline of some.
    func endpoints(timeout: Duration = .seconds(5), timeouts: [FixtureService.Kind: Duration] = [:]) -> [ServiceEndpoint] {
        self.baseURLs.map { name, url in
            ServiceEndpoint(name: name, baseURL: url, timeout: FixtureService.Kind(rawValue: name).flatMap { timeouts[$0] } ?? timeout)
        }
    }

    /// Requests per endpoint of one service, read from its `GET /__stats`.
    func stats(_ kind: FixtureService.Kind) async throws -> [String: Int] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: self.baseURLs[kind.rawValue]! + "/__stats"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard case .object(let counts)? = try JSONReader.parse(Array(buffer: body))["requests"] else { return [:] }
        return counts.dictionary.compactMapValues { if case .int(let n) = $0 { n } else { nil } }
    }

    /// Total requests per service.
    func totals() async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for kind in self.services.keys { result[kind.rawValue] = try await self.stats(kind).values.reduce(0, +) }
        return result
    }

    func shutdown() async {
        await self.group.triggerGracefulShutdown()
        _ = try? await self.runner.value
    }
}

struct FixtureHarnessError: Error {
    let message: String
}

/// Runs `body` with fresh fixture services and a gateway executor over them.
func withGateway(
    down: Set<FixtureService.Kind> = [], timeout: Duration = .seconds(5), timeouts: [FixtureService.Kind: Duration] = [:], maxBatchSize: Int = 100,
    cache: (any CacheStore)? = nil, sealer: CacheSealer? = nil, subscriptions: SubscriptionHub? = nil, configure: (inout ExecutionOptions) -> Void = { _ in },
    _ body: (FixtureHarness, GatewayExecutor) async throws -> Void
) async throws {
    let fixtures = try await FixtureHarness.start(down: down)
    let client = DownstreamClient(services: fixtures.endpoints(timeout: timeout, timeouts: timeouts))
    var options = ExecutionOptions()
    options.maxBatchSize = maxBatchSize
    configure(&options)
    let schema = try GatewaySchema(contentsOf: repositoryRoot + "/Schema", services: ServiceEndpoint.serviceNames)
    let executor = GatewayExecutor(schema: schema, client: client, options: options, cacheStore: cache, sealer: sealer, subscriptions: subscriptions)
    do {
        try await body(fixtures, executor)
    } catch {
        try? await client.shutdown()
        await fixtures.shutdown()
        throw error
    }
    try await client.shutdown()
    await fixtures.shutdown()
}

/// A gateway with an in-memory cache, a 600 s stale-if-error grace period and a wall clock the test
/// moves forward by hand (`offset`, in milliseconds), to expire entries without waiting.
func withStaleIfErrorGateway(_ body: (ClockOffset, FixtureHarness, GatewayExecutor) async throws -> Void) async throws {
    let offset = ClockOffset()
    try await withGateway(
        cache: MemoryCacheStore(),
        configure: {
            $0.staleIfError = .seconds(600)
            $0.wallClock = { wallClockMilliseconds() + offset.withLock { $0 } }
        }
    ) { fixtures, gateway in try await body(offset, fixtures, gateway) }
}

/// How far a test has moved the gateway's wall clock, in milliseconds.
final class ClockOffset: Sendable {
    private let milliseconds = Mutex<Int64>(0)

    func withLock<Result: Sendable>(_ body: (inout Int64) -> Result) -> Result {
        self.milliseconds.withLock { body(&$0) }
    }
}

extension GatewayExecutor {
    /// Executes a query and returns the response as a value (`data`, `errors`).
    /// Runs as a clinician named after `authorization` (another name: another principal), or as `principal`.
    func run(
        _ query: String, variables: [String: Value] = [:], authorization: String? = nil, principal: Principal? = nil
    ) async -> (data: Value?, errors: [GraphQLError]) {
        let response = await self.execute(
            GatewayRequest(
                query: query, variables: variables, headers: ForwardedHeaders(authorization: authorization),
                principal: principal ?? .clinician(authorization ?? "tester")))
        return (response.result.data, response.result.errors)
    }
}

extension Principal {
    static func clinician(_ subject: String) -> Principal { Principal(subject: subject, role: .clinician) }
    static func patient(_ id: String) -> Principal { Principal(subject: id, role: .patient, patientID: id) }
    static func admin(_ subject: String = "admin") -> Principal { Principal(subject: subject, role: .admin) }
}
