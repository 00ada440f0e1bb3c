import Hummingbird
import Logging
import NIOCore

/// Builds the Hummingbird application of one fixture service on `host:port` (port 0: any free
/// port; `onServerRunning` receives the bound port).
public func makeFixtureApplication(
    _ service: FixtureService, host: String, port: Int, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: service.router(),
        configuration: .init(address: .hostname(host, port: port), serverName: "nilecare-\(service.kind.rawValue)"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
