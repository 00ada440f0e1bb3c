import ArgumentParser
import FixtureServices
import Foundation
import GatewayServer
import Hummingbird
import Logging
import ServiceLifecycle

/// `nilecare fixtures serve`: the downstream services over Fixtures/ data, as their own process.
struct FixturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures", abstract: "The fixture downstream services.", subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve clinical, business, medication, lab and the insurance subgraph on consecutive ports.")

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port of clinical; business, medication, lab and insurance follow.")
        var basePort = 4001

        @Option(help: "The fixture data folder.")
        var fixtures: String?

        @Option(help: "Latency added to every request, in milliseconds.")
        var latencyMs = 0

        @Option(help: "Extra fixed delay of every request, in milliseconds (for timeouts).")
        var delayMs = 0

        @Option(help: "Fraction of requests answered with HTTP 503 (0...1).")
        var errorRate = 0.0

        @Option(help: "Services not to start (down), comma-separated.")
        var down: String = ""

        @Flag(help: "Answer batch look-ups in reverse order.")
        var reverseBatches = false

        func run() async throws {
            let logger = Logger(label: "nilecare.fixtures")
            guard let directory = self.fixtures ?? FixtureStore.locateDirectory() else {
                throw ValidationError("Fixtures/ not found; pass --fixtures.")
            }
            let store = try FixtureStore(directory: directory)
            let faults = FaultSettings(
                latency: .milliseconds(self.latencyMs), errorRate: self.errorRate, delay: .milliseconds(self.delayMs),
                reverseBatches: self.reverseBatches)
            let down = Set(self.down.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            var services: [any Service] = []
            if Observability.tracingRequested(nil) { services.append(Observability.bootstrapTracing(serviceName: "nilecare-fixtures")) }
            for (offset, kind) in FixtureService.Kind.allCases.enumerated() where !down.contains(kind.rawValue) {
                let port = self.basePort + offset
                let host = self.host
                services.append(
                    makeFixtureApplication(try FixtureService(kind: kind, store: store, faults: faults), host: host, port: port, logger: logger) { bound in
                        FileHandle.standardOutput.write(Data("fixture \(kind.rawValue) http://\(host):\(bound)\n".utf8))
                    })
            }
            let (group, watchdog) = boundedServiceGroup(services, drain: .seconds(10), logger: logger)
            defer { watchdog.cancel() }
            try await group.run()
        }
    }
}
