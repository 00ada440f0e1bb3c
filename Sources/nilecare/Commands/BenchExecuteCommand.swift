import ArgumentParser
import Foundation
import Gateway
import GraphQLEngine
import Logging
import NIOCore
import NIOPosix

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

    @Option(help: "Concurrent tasks sharing the iterations (2 on two cores: the server's contention for shared objects).")
    var tasks: Int = 1

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
        // The warm-up request fills the caches before the tasks start.
        let warmUp = try await Self.serve(executor, request)
        let tasks = max(1, self.tasks)
        let iterations = max(0, self.iterations)
        // One event loop per task, in turn: a task started from a loop's thread runs there (NIO's
        // loops are the global executor, which keeps a task on the loop it is enqueued from), so
        // two tasks run on two cores, as the server's connections do, and objects every request
        // shares pay for both cores touching their counts. (Started from here, both ran on one.)
        let loops = Array(NIOSingletons.posixEventLoopGroup.makeIterator())
        let outcomes = await withTaskGroup(of: (failures: Int, bytes: Int).self) { group in
            for task in 0..<tasks {
                let share = iterations / tasks + (task < iterations % tasks ? 1 : 0)
                let loop = loops.isEmpty ? NIOSingletons.posixEventLoopGroup.any() : loops[task % loops.count]
                group.addTask {
                    await withCheckedContinuation { continuation in
                        loop.execute {
                            Task {
                                var failures = 0
                                var bytes = warmUp
                                for _ in 0..<share {
                                    do { bytes = try await Self.serve(executor, request) } catch { failures += 1 }
                                }
                                continuation.resume(returning: (failures, bytes))
                            }
                        }
                    }
                }
            }
            var all: [(failures: Int, bytes: Int)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let failures = outcomes.reduce(0) { $0 + $1.failures }
        let bytes = outcomes.first?.bytes ?? warmUp
        try await client.shutdown()
        guard failures == 0 else {
            FileHandle.standardError.write(Data("\(failures) responses had errors\n".utf8))
            throw ExitCode(1)
        }
        print("\(self.iterations) requests in \(tasks) task(s), \(bytes) bytes each")
    }

    private struct ResponseHadErrors: Error {}

    /// One request and its JSON bytes; throws when the response had errors.
    private static func serve(_ executor: GatewayExecutor, _ request: GatewayRequest) async throws -> Int {
        let response = await executor.execute(request)
        var writer = JSONWriter(capacity: response.result.jsonCapacityEstimate)
        response.result.write(to: &writer)
        guard response.result.errors.isEmpty else { throw ResponseHadErrors() }
        return writer.count
    }
}
