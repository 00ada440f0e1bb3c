import ArgumentParser
import Foundation
import Gateway
import GraphQLEngine
import Logging

/// `nilecare bench-execute` (hidden): the gateway's request path without HTTP, for benchmarks.
///
/// Runs one query through the executor a fixed number of times — document cache, loaders, the
/// in-memory resolver cache, downstream calls to running fixture services, and the response's JSON
/// bytes — after one warm-up request, so the whole process's CPU time (`perf stat`) compares two
/// builds of the same path on this noisy machine with far less spread than a server under load
/// (`Benchmarks/gateway-compare.py`).
struct BenchExecuteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-execute",
        abstract: "Run a query through the executor (no HTTP) repeatedly, for benchmarks.",
        shouldDisplay: false
    )

    @Option(help: "The gateway schema folder.")
    var schema: String = "Schema"

    @Option(help: "First port of running fixture services (clinical, business, medication, lab, insurance).")
    var fixturesBasePort: Int = 4001

    @Option(help: "The query.")
    var query: String

    @Option(help: "Requests after the warm-up one.")
    var iterations: Int = 1_000

    @Flag(help: "No resolver cache: every request calls the fixture services.")
    var uncached = false

    func run() async throws {
        let endpoints = ServiceEndpoint.serviceNames.enumerated().map { offset, name in
            ServiceEndpoint(name: name, baseURL: "http://127.0.0.1:\(self.fixturesBasePort + offset)", timeout: .seconds(10))
        }
        let schema = try GatewaySchema(contentsOf: self.schema, services: ServiceEndpoint.serviceNames)
        let client = DownstreamClient(services: endpoints, breakerPolicy: nil, maxRetries: 0)
        var options = ExecutionOptions()
        options.maxDownstreamCalls = 10_000
        options.limits.maxCost = 10_000_000
        let executor = GatewayExecutor(schema: schema, client: client, options: options, cacheStore: self.uncached ? nil : MemoryCacheStore())
        let request = GatewayRequest(query: self.query, principal: Principal(subject: "dr-bench", role: .clinician))
        var bytes = 0
        var failures = 0
        for _ in 0...max(0, self.iterations) {
            let response = await executor.execute(request)
            if !response.result.errors.isEmpty { failures += 1 }
            var writer = JSONWriter(capacity: response.result.jsonCapacityEstimate)
            response.result.write(to: &writer)
            bytes = writer.count
        }
        try await client.shutdown()
        guard failures == 0 else {
            FileHandle.standardError.write(Data("\(failures) responses had errors\n".utf8))
            throw ExitCode(1)
        }
        print("\(self.iterations) requests, \(bytes) bytes each")
    }
}
