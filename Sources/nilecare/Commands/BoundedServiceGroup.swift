import GatewayServer
import Logging
import ServiceLifecycle
import UnixSignals

/// The service group of a command's services, stopped by SIGTERM or SIGINT: requests drain for up
/// to `drain`, what is left is then cancelled, and a process still running 3 s after that is ended
/// by the watchdog (cancel it once the group and the command's own shutdown work are done).
func boundedServiceGroup(_ services: [any Service], drain: Duration, logger: Logger) -> (ServiceGroup, ShutdownWatchdog) {
    var configuration = ServiceGroupConfiguration(
        services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = drain
    return (ServiceGroup(configuration: configuration), ShutdownWatchdog(limit: drain + .seconds(3), logger: logger))
}
